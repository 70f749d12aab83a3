"""NPS import: the last column mapping per source, and files kept for a day (an upload
waiting for confirmation, the full list of refused rows)
"""

from alembic import op
import sqlalchemy as sa

import storyboard.db

revision = "0024"
down_revision = "0023"


def upgrade():
    op.create_table(
        'nps_import_mappings',
        sa.Column('source', sa.String(length=80), nullable=False),
        sa.Column('mapping', sa.Text(), nullable=False),
        sa.Column('updated_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('source', name=op.f('pk_nps_import_mappings')),
    )
    op.create_table(
        'nps_import_files',
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_nps_import_files_user_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('token', name=op.f('pk_nps_import_files')),
    )
    with op.batch_alter_table('nps_import_files', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_nps_import_files_created_at'), ['created_at'], unique=False
        )
        batch_op.create_index(batch_op.f('ix_nps_import_files_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('nps_import_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nps_import_files_user_id'))
        batch_op.drop_index(batch_op.f('ix_nps_import_files_created_at'))
    op.drop_table('nps_import_files')
    op.drop_table('nps_import_mappings')
