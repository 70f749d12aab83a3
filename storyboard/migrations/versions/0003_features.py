"""Features: stories featured for a team or the whole organisation, per ISO week"""

from alembic import op
import sqlalchemy as sa

import storyboard.db

revision = "0003"
down_revision = "0002"


def upgrade():
    op.create_table('features',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('iso_year', sa.Integer(), nullable=False),
    sa.Column('iso_week', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('praise', 'lesson', name='featurekind', native_enum=False, length=20), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('featured_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', storyboard.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('iso_week BETWEEN 1 AND 53', name=op.f('ck_features_iso_week_range')),
    sa.CheckConstraint('iso_year BETWEEN 2000 AND 9999', name=op.f('ck_features_iso_year_range')),
    sa.ForeignKeyConstraint(['featured_by_id'], ['users.id'], name=op.f('fk_features_featured_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_features_story_id_stories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_features_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_features_withdrawn_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_features'))
    )
    with op.batch_alter_table('features', schema=None) as batch_op:
        batch_op.create_index('ix_features_iso_year_iso_week', ['iso_year', 'iso_week'], unique=False)
        batch_op.create_index(batch_op.f('ix_features_story_id'), ['story_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_features_team_id'), ['team_id'], unique=False)
        batch_op.create_index('uq_features_active_organisation_week', ['story_id', 'iso_year', 'iso_week'], unique=True, sqlite_where=sa.text('withdrawn_at IS NULL AND team_id IS NULL'), postgresql_where=sa.text('withdrawn_at IS NULL AND team_id IS NULL'))
        batch_op.create_index('uq_features_active_team_week', ['story_id', 'team_id', 'iso_year', 'iso_week'], unique=True, sqlite_where=sa.text('withdrawn_at IS NULL AND team_id IS NOT NULL'), postgresql_where=sa.text('withdrawn_at IS NULL AND team_id IS NOT NULL'))



def downgrade():
    with op.batch_alter_table('features', schema=None) as batch_op:
        batch_op.drop_index('uq_features_active_team_week', sqlite_where=sa.text('withdrawn_at IS NULL AND team_id IS NOT NULL'), postgresql_where=sa.text('withdrawn_at IS NULL AND team_id IS NOT NULL'))
        batch_op.drop_index('uq_features_active_organisation_week', sqlite_where=sa.text('withdrawn_at IS NULL AND team_id IS NULL'), postgresql_where=sa.text('withdrawn_at IS NULL AND team_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_features_team_id'))
        batch_op.drop_index(batch_op.f('ix_features_story_id'))
        batch_op.drop_index('ix_features_iso_year_iso_week')

    op.drop_table('features')
