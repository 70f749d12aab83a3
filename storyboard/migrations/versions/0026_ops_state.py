"""What the deployment records about itself: the search backend chosen by
`storyboard search use`, and the worker's last round (read by `storyboard doctor`)
"""

from alembic import op
import sqlalchemy as sa

import storyboard.db

revision = "0026"
down_revision = "0025"


def upgrade():
    op.create_table(
        'ops_state',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('updated_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_ops_state')),
    )


def downgrade():
    op.drop_table('ops_state')
