"""Story reads: who opened which published story first, and folded counts"""

from alembic import op
import sqlalchemy as sa

import storyboard.db

revision = "0019"
down_revision = "0018"


def upgrade():
    op.create_table('story_read_tallies',
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('agent', 'manager', 'stakeholder', 'admin', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('reads', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_story_read_tallies_story_id_stories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('story_id', 'role', name=op.f('pk_story_read_tallies'))
    )
    op.create_table('story_reads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.Enum('agent', 'manager', 'stakeholder', 'admin', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('via', sa.String(length=10), nullable=False),
    sa.Column('read_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_story_reads_story_id_stories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_story_reads_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story_reads')),
    sa.UniqueConstraint('story_id', 'user_id', name=op.f('uq_story_reads_story_id'))
    )
    with op.batch_alter_table('story_reads', schema=None) as batch_op:
        batch_op.create_index('ix_story_reads_role_read_at', ['role', 'read_at', 'user_id', 'story_id'], unique=False)
        batch_op.create_index('ix_story_reads_user_id_read_at', ['user_id', 'read_at'], unique=False)



def downgrade():
    with op.batch_alter_table('story_reads', schema=None) as batch_op:
        batch_op.drop_index('ix_story_reads_user_id_read_at')
        batch_op.drop_index('ix_story_reads_role_read_at')

    op.drop_table('story_reads')
    op.drop_table('story_read_tallies')
