"""Notifications carry a detail (a week's reach: "2026-W48:3")

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 18:25:00

"""
from alembic import op
import sqlalchemy as sa

import storyboard.db  # noqa: F401 - the project's migrations import it for custom types


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detail', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('detail')
