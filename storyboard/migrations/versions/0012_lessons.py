"""Learning moments and their history"""

from alembic import op
import sqlalchemy as sa

import storyboard.db

revision = "0012"
down_revision = "0011"

STATUS = sa.Enum('open', 'in_progress', 'changed', 'declined', name='lessonstatus',
                 native_enum=False, length=20)


def upgrade():
    op.create_table('lessons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('proposal', sa.String(length=500), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('status', STATUS, nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=True),
    sa.Column('raised_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', storyboard.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_lessons_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['raised_by_id'], ['users.id'], name=op.f('fk_lessons_raised_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_lessons_story_id_stories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lessons')),
    sa.UniqueConstraint('story_id', name=op.f('uq_lessons_story_id'))
    )
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lessons_closed_at'), ['closed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lessons_raised_at'), ['raised_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lessons_status'), ['status'], unique=False)
    op.create_table('lesson_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('from_status', STATUS, nullable=True),
    sa.Column('to_status', STATUS, nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_lesson_events_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_lesson_events_lesson_id_lessons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_events'))
    )
    with op.batch_alter_table('lesson_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_events_lesson_id'), ['lesson_id'], unique=False)


def downgrade():
    with op.batch_alter_table('lesson_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_events_lesson_id'))
    op.drop_table('lesson_events')
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lessons_status'))
        batch_op.drop_index(batch_op.f('ix_lessons_raised_at'))
        batch_op.drop_index(batch_op.f('ix_lessons_closed_at'))
    op.drop_table('lessons')
