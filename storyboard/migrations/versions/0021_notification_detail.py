"""Notifications carry a detail (a week's reach: "2026-W48:3")"""

from alembic import op
import sqlalchemy as sa

revision = "0021"
down_revision = "0020"


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detail', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('detail')
