"""Server-side sessions and sign-in attempts counted in the database
``user_sessions``: one row per signed-in browser, so signing out ends a session for good
(a copied cookie no longer works). ``sign_in_attempts``: failed sign-ins counted by every
worker and host alike, per address and per account.
"""

from alembic import op
import sqlalchemy as sa

import storyboard.db

revision = "0018"
down_revision = "0017"


def upgrade():
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('digest', name=op.f('uq_user_sessions_digest'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('sign_in_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('device', sa.String(length=64), nullable=True),
    sa.Column('failed', sa.Boolean(), nullable=False),
    sa.Column('created_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_attempts')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('sign_in_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_sign_in_attempts_account_created', ['account', 'created_at'], unique=False)
        batch_op.create_index('ix_sign_in_attempts_address_created', ['address', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_attempts_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('sign_in_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_attempts_created_at'))
        batch_op.drop_index('ix_sign_in_attempts_address_created')
        batch_op.drop_index('ix_sign_in_attempts_account_created')

    op.drop_table('sign_in_attempts')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))

    op.drop_table('user_sessions')
