"""Notification e-mails: per-person opt-outs and a sent mark

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24 16:35:00

"""
from alembic import op
import sqlalchemy as sa

import storyboard.db


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


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
