"""Customer stories: submissions from the public form, and the customer's first name"""

from alembic import op
import sqlalchemy as sa

import storyboard.db

revision = "0009"
down_revision = "0008"


def upgrade():
    op.create_table('customer_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', 'withdrawn', name='submissionstatus', native_enum=False, length=20), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=True),
    sa.Column('original_title', sa.String(length=200), nullable=True),
    sa.Column('original_body', sa.Text(), nullable=True),
    sa.Column('helped_by', sa.String(length=120), nullable=True),
    sa.Column('first_name', sa.String(length=60), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('show_first_name', sa.Boolean(), nullable=False),
    sa.Column('channel', sa.Enum('phone', 'chat', 'email', 'social', 'store', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('language', sa.Enum('nl', 'en', name='language', native_enum=False, length=5), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('submitted_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', storyboard.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('reject_reason', sa.String(length=500), nullable=True),
    sa.Column('purged_at', storyboard.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_customer_submissions_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_customer_submissions_story_id_stories'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_submissions')),
    sa.UniqueConstraint('reference', name=op.f('uq_customer_submissions_reference')),
    sa.UniqueConstraint('story_id', name=op.f('uq_customer_submissions_story_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_customer_submissions_token_hash'))
    )
    with op.batch_alter_table('customer_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_submissions_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_submissions_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_submissions_submitted_at'), ['submitted_at'], unique=False)
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_first_name', sa.String(length=60), nullable=True))


def downgrade():
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.drop_column('customer_first_name')
    with op.batch_alter_table('customer_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_submissions_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_customer_submissions_status'))
        batch_op.drop_index(batch_op.f('ix_customer_submissions_content_hash'))
    op.drop_table('customer_submissions')
