"""Weekly NPS counts cached per zone, week, team and channel, and the survey data version"""

from alembic import op
import sqlalchemy as sa

import storyboard.db

revision = "0006"
down_revision = "0005"


def upgrade():
    version = op.create_table('survey_data_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_data_version'))
    )
    op.bulk_insert(version, [{'id': 1, 'version': 0}])
    op.create_table('nps_week_rollups',
    sa.Column('zone', sa.String(length=64), nullable=False),
    sa.Column('week_key', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('computed_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('zone', 'week_key', name=op.f('pk_nps_week_rollups'))
    )
    op.create_table('nps_week_counts',
    sa.Column('zone', sa.String(length=64), nullable=False),
    sa.Column('week_key', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('promoters', sa.Integer(), nullable=False),
    sa.Column('passives', sa.Integer(), nullable=False),
    sa.Column('detractors', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_nps_week_counts_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('zone', 'week_key', 'team_id', 'channel', name=op.f('pk_nps_week_counts'))
    )


def downgrade():
    op.drop_table('nps_week_counts')
    op.drop_table('nps_week_rollups')
    op.drop_table('survey_data_version')
