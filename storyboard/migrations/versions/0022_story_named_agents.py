"""Story named agents: the colleague a customer named in their story"""

from alembic import op
import sqlalchemy as sa

import storyboard.db

revision = "0022"
down_revision = "0021"


def upgrade():
    op.create_table('story_named_agents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('linked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['linked_by_id'], ['users.id'], name=op.f('fk_story_named_agents_linked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_story_named_agents_story_id_stories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_story_named_agents_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story_named_agents')),
    sa.UniqueConstraint('story_id', 'user_id', name=op.f('uq_story_named_agents_story_id'))
    )
    with op.batch_alter_table('story_named_agents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_named_agents_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('story_named_agents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_named_agents_user_id'))

    op.drop_table('story_named_agents')
