"""Initial schema: teams, users, themes (seeded), stories"""

from alembic import op
import sqlalchemy as sa

import storyboard.db

# The four humanification habits and the 6 T's of a service team.
SEED_THEMES = [
    ("Real conversation", "real-conversation", "habit", "Stop being a chatbot: a real conversation with one person."),
    ("Stand up", "stand-up", "habit", "Go against the process for the customer: no, I'll do it differently."),
    ("Storytelling", "storytelling", "habit", "Go for the ten: a unique, memorable experience."),
    ("No limits", "no-limits", "habit", "The sky has no limits: no self-imposed ceilings."),
    ("Team", "team", "six_t", "The people and how they work together."),
    ("Training", "training", "six_t", "Skills, coaching and learning on the job."),
    ("Tools", "tools", "six_t", "Systems and tools that help or hinder."),
    ("Time & place", "time-place", "six_t", "Room in the schedule and a place to do the work well."),
    ("Tone of voice", "tone-of-voice", "six_t", "How we sound: human, warm, clear."),
    ("Team support", "team-support", "six_t", "Back-up from colleagues, leads and other departments."),
]

revision = "0001"
down_revision = None


def upgrade():
    op.create_table('teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('created_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    sa.UniqueConstraint('name', name=op.f('uq_teams_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_teams_slug'))
    )
    themes = op.create_table('themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.Enum('habit', 'six_t', 'custom', name='themekind', native_enum=False, length=20), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_themes')),
    sa.UniqueConstraint('name', name=op.f('uq_themes_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_themes_slug'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.Enum('agent', 'manager', 'stakeholder', 'admin', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_users_team_id_teams'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('stories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('channel', sa.Enum('phone', 'chat', 'email', 'social', 'store', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_kind', sa.Enum('agent', 'customer', name='authorkind', native_enum=False, length=20), nullable=False),
    sa.Column('status', sa.Enum('draft', 'pending', 'published', 'rejected', 'withdrawn', name='storystatus', native_enum=False, length=20), nullable=False),
    sa.Column('language', sa.Enum('nl', 'en', name='language', native_enum=False, length=5), nullable=False),
    sa.Column('created_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', storyboard.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_stories_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_stories_team_id_teams'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stories')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_stories_submission_key'))
    )
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stories_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_stories_status_published_at', ['status', 'published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_stories_team_id'), ['team_id'], unique=False)

    op.create_table('story_themes',
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_story_themes_story_id_stories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_story_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('story_id', 'theme_id', name=op.f('pk_story_themes'))
    )
    op.bulk_insert(
        themes,
        [
            {"name": name, "slug": slug, "kind": kind, "description": description}
            for name, slug, kind, description in SEED_THEMES
        ],
    )


def downgrade():
    op.drop_table('story_themes')
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stories_team_id'))
        batch_op.drop_index('ix_stories_status_published_at')
        batch_op.drop_index(batch_op.f('ix_stories_author_id'))

    op.drop_table('stories')
    op.drop_table('users')
    op.drop_table('themes')
    op.drop_table('teams')
