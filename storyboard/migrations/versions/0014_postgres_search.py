"""PostgreSQL full-text search: documents, words, Dutch and English configurations

On PostgreSQL only: the embedded SQLite default searches with Whoosh, and SQLite has
no tsvector type. See storyboard/search/pg_schema.py.
"""

from alembic import op

from storyboard.search import pg_schema

revision = "0014"
down_revision = "0013"


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        pg_schema.create(bind)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        pg_schema.drop(bind)
