"""Survey answers: imported NPS scores, unique per (source, external id)"""

from alembic import op
import sqlalchemy as sa

import storyboard.db

revision = "0004"
down_revision = "0003"


def upgrade():
    op.create_table('survey_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.Column('external_id', sa.String(length=120), nullable=False),
    sa.Column('answered_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('score', sa.SmallInteger(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.Enum('phone', 'chat', 'email', 'social', 'store', name='channel', native_enum=False, length=20), nullable=True),
    sa.Column('language', sa.Enum('nl', 'en', name='language', native_enum=False, length=5), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('imported_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score >= 0 AND score <= 10', name=op.f('ck_survey_answers_score_0_to_10')),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_survey_answers_agent_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_survey_answers_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers')),
    sa.UniqueConstraint('source', 'external_id', name='uq_survey_answers_source_external_id')
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answers_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answers_answered_at'), ['answered_at'], unique=False)
        batch_op.create_index('ix_survey_answers_channel_answered', ['channel', 'answered_at'], unique=False)
        batch_op.create_index('ix_survey_answers_team_answered', ['team_id', 'answered_at'], unique=False)



def downgrade():
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_answers_team_answered')
        batch_op.drop_index('ix_survey_answers_channel_answered')
        batch_op.drop_index(batch_op.f('ix_survey_answers_answered_at'))
        batch_op.drop_index(batch_op.f('ix_survey_answers_agent_id'))

    op.drop_table('survey_answers')
