"""Users choose their language: users.locale

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-24 19:10:00

"""
from alembic import op
import sqlalchemy as sa

import storyboard.db  # noqa: F401 - the project's migrations import it for custom types


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locale')
