"""Channels belong to the organisation: a ``channels`` table instead of a fixed list

Stories, customer submissions and survey answers keep storing a channel's key (the
values they stored before: phone, chat, email, social, store), so nothing they hold
changes; the five channels are made with their Dutch and English names and the other
names exports use for them (the importer's former built-in list). WhatsApp, Messenger
and SMS stay aliases of chat, as the importer counted them before: an organisation that
wants them apart removes the alias and adds the channel on the admin's channels page.

Downgrade drops the table; it refuses while a story, submission or answer uses a
channel other than the five (the old code could not read it), and drops the cached
weekly counts of such channels.
"""

from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import storyboard.db

revision = "0025"
down_revision = "0024"

# key: (Dutch name, English name, aliases)
SEED = {
    "phone": ("Telefoon", "Phone", ["Tel.", "Telefonisch", "Telephone", "Bellen", "Call", "Voice"]),
    "chat": ("Chat", "Chat", ["Livechat", "Webchat", "WhatsApp", "Messenger", "SMS", "Berichten", "Messaging"]),
    "email": ("E-mail", "E-mail", ["Email", "Mail", "Webformulier", "Contactformulier"]),
    "social": ("Social media", "Social media", ["Sociale media", "Facebook", "Instagram", "Twitter", "X", "LinkedIn"]),
    "store": ("Winkel", "Store", ["Balie", "Shop", "Filiaal", "Vestiging", "Servicepunt", "Counter"]),
}
USING_CHANNELS = ("stories", "customer_submissions", "survey_answers")


def upgrade():
    channels = op.create_table(
        'channels',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=20), nullable=False),
        sa.Column('name_nl', sa.String(length=80), nullable=False),
        sa.Column('name_en', sa.String(length=80), nullable=False),
        sa.Column('aliases', sa.Text(), nullable=False),
        sa.Column('position', sa.Integer(), server_default='0', nullable=False),
        sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column('created_at', storyboard.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_channels')),
        sa.UniqueConstraint('key', name=op.f('uq_channels_key')),
        sa.UniqueConstraint('name_en', name=op.f('uq_channels_name_en')),
        sa.UniqueConstraint('name_nl', name=op.f('uq_channels_name_nl')),
    )
    created = datetime.now(UTC)
    op.bulk_insert(
        channels,
        [
            {
                "key": key,
                "name_nl": name_nl,
                "name_en": name_en,
                "aliases": "\n".join(aliases),
                "position": position,
                "active": True,
                "created_at": created,
            }
            for position, (key, (name_nl, name_en, aliases)) in enumerate(SEED.items(), 1)
        ],
    )


def downgrade():
    connection = op.get_bind()
    seeded = list(SEED)
    for table in USING_CHANNELS:
        used = connection.execute(
            sa.text(
                f"SELECT DISTINCT channel FROM {table} "
                "WHERE channel IS NOT NULL AND channel NOT IN :seeded"
            ).bindparams(sa.bindparam("seeded", expanding=True)),
            {"seeded": seeded},
        ).scalars().all()
        if used:
            raise RuntimeError(
                f"{table} still uses channels the previous revision cannot read: "
                + ", ".join(sorted(used))
                + ". Give those rows one of " + ", ".join(seeded) + " first."
            )
    connection.execute(
        sa.text("DELETE FROM nps_week_counts WHERE channel <> '' AND channel NOT IN :seeded")
        .bindparams(sa.bindparam("seeded", expanding=True)),
        {"seeded": seeded},
    )
    op.drop_table('channels')
