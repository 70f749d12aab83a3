"""Weekly digest: deliveries per user and week, subscription and feed token on users"""

from alembic import op
import sqlalchemy as sa

import storyboard.db

revision = "0007"
down_revision = "0006"


def upgrade():
    op.create_table('digest_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('week_key', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('sent', 'failed', name='deliverystatus', native_enum=False, length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('updated_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_digest_deliveries_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_deliveries')),
    sa.UniqueConstraint('user_id', 'week_key', name='uq_digest_deliveries_user_week')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_subscribed', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('feed_token_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_feed_token_hash'), ['feed_token_hash'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_feed_token_hash'), type_='unique')
        batch_op.drop_column('feed_token_hash')
        batch_op.drop_column('digest_subscribed')
    op.drop_table('digest_deliveries')
