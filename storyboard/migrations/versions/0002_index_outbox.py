"""Index outbox: story changes waiting to reach the search index"""

from alembic import op
import sqlalchemy as sa

import storyboard.db

revision = "0002"
down_revision = "0001"


def upgrade():
    op.create_table('index_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('created_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_index_outbox'))
    )
    with op.batch_alter_table('index_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_index_outbox_story_id'), ['story_id'], unique=False)



def downgrade():
    with op.batch_alter_table('index_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_index_outbox_story_id'))

    op.drop_table('index_outbox')
