"""Notification e-mails: per-person opt-outs and a sent mark"""

from alembic import op
import sqlalchemy as sa

import storyboard.db

revision = "0013"
down_revision = "0012"


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_off', sa.String(length=100), nullable=True))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('emailed_at', storyboard.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('emailed_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_off')
