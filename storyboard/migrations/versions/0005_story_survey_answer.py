"""Stories link to the survey answer that inspired them"""

from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"


def upgrade():
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('survey_answer_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_stories_survey_answer_id'), ['survey_answer_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_stories_survey_answer_id_survey_answers'),
                                    'survey_answers', ['survey_answer_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stories_survey_answer_id_survey_answers'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_stories_survey_answer_id'))
        batch_op.drop_column('survey_answer_id')
