"""PostgreSQL full-text search: documents, words, Dutch and English configurations

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24 18:10:00

On PostgreSQL only: the embedded SQLite default searches with Whoosh, and SQLite has
no tsvector type. See storyboard/search/pg_schema.py.
"""
from alembic import op

import storyboard.db  # noqa: F401 - the project's migrations import it for custom types
from storyboard.search import pg_schema


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        pg_schema.create(bind)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        pg_schema.drop(bind)
