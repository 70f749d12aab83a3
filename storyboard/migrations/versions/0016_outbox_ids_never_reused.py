"""Index outbox ids are never reused (SQLite AUTOINCREMENT)
Without AUTOINCREMENT SQLite hands out the highest id + 1, so once the outbox is empty
the next row gets an id a drain in another process may still be about to delete (it
deletes the rows it applied by id): that newer change was lost. PostgreSQL's sequences
never reuse ids; nothing changes there.
"""

from alembic import op

revision = "0016"
down_revision = "0015"


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('index_outbox', recreate='always',
                                  table_kwargs={'sqlite_autoincrement': True}):
            pass


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('index_outbox', recreate='always',
                                  table_kwargs={'sqlite_autoincrement': False}):
            pass
