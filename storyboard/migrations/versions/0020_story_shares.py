"""Story shares: a story brought to a colleague with a note"""

from alembic import op
import sqlalchemy as sa

import storyboard.db

revision = "0020"
down_revision = "0019"


def upgrade():
    op.create_table('story_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('emailed_at', storyboard.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_story_shares_recipient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_story_shares_sender_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_story_shares_story_id_stories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story_shares')),
    sa.UniqueConstraint('story_id', 'sender_id', 'recipient_id', name=op.f('uq_story_shares_story_id'))
    )
    with op.batch_alter_table('story_shares', schema=None) as batch_op:
        batch_op.create_index('ix_story_shares_recipient_id_created_at', ['recipient_id', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('story_shares', schema=None) as batch_op:
        batch_op.drop_index('ix_story_shares_recipient_id_created_at')

    op.drop_table('story_shares')
