"""Theme names: a name and a description per interface language

Each theme gets ``name_nl``/``name_en`` and ``description_nl``/``description_en``
instead of one English name, so a Dutch page shows Dutch theme names. The seeded
themes get their Dutch words (unless an admin renamed them: then their name is kept
in both languages); a theme an admin made gets its name and description copied to
both languages, to be translated on the admin's themes page.

Downgrade keeps one name: the English one for the seeded themes (their name before
this revision) and the Dutch one for the admin's own; should two themes then share a
name, the later one gets its number added.
"""

from alembic import op
import sqlalchemy as sa

revision = "0023"
down_revision = "0022"

# slug: (English name as seeded in 0001, Dutch name, Dutch description)
DUTCH_SEED = {
    "real-conversation": ("Real conversation", "Echt gesprek", "Geen chatbot zijn: een echt gesprek van mens tot mens."),
    "stand-up": ("Stand up", "Opkomen voor de klant", "Voor de klant tegen het proces in: nee, ik doe het anders."),
    "storytelling": ("Storytelling", "Verhalen vertellen", "Ga voor de tien: een unieke ervaring die bijblijft."),
    "no-limits": ("No limits", "Geen grenzen", "Geen plafonds die we onszelf opleggen."),
    "team": ("Team", "Team", "De mensen en hoe ze samenwerken."),
    "training": ("Training", "Training", "Vaardigheden, coaching en leren tijdens het werk."),
    "tools": ("Tools", "Tools", "Systemen en hulpmiddelen die helpen of juist hinderen."),
    "time-place": ("Time & place", "Tijd & plek", "Ruimte in het rooster en een plek om het werk goed te doen."),
    "tone-of-voice": ("Tone of voice", "Toon", "Hoe we klinken: menselijk, warm, duidelijk."),
    "team-support": ("Team support", "Teamondersteuning", "Steun van collega's, teamleiders en andere afdelingen."),
}

themes = sa.table(
    'themes',
    sa.column('id', sa.Integer),
    sa.column('slug', sa.String),
    sa.column('kind', sa.String),
    sa.column('name', sa.String),
    sa.column('description', sa.String),
    sa.column('name_nl', sa.String),
    sa.column('name_en', sa.String),
    sa.column('description_nl', sa.String),
    sa.column('description_en', sa.String),
)


def upgrade():
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_nl', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('name_en', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('description_nl', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('description_en', sa.String(length=500), nullable=True))

    connection = op.get_bind()
    rows = connection.execute(sa.select(themes.c.id, themes.c.slug, themes.c.name, themes.c.description).order_by(themes.c.id)).all()
    taken_nl = {row.name for row in rows}
    for row in rows:
        name_nl, description_nl = row.name, row.description
        seed = DUTCH_SEED.get(row.slug)
        if seed and row.name == seed[0] and (seed[1] == row.name or seed[1] not in taken_nl):
            name_nl, description_nl = seed[1], seed[2]
            taken_nl.add(name_nl)
        connection.execute(
            themes.update().where(themes.c.id == row.id).values(
                name_nl=name_nl,
                name_en=row.name,
                description_nl=description_nl,
                description_en=row.description,
            )
        )

    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.drop_constraint('uq_themes_name', type_='unique')
        batch_op.drop_column('name')
        batch_op.drop_column('description')
        batch_op.alter_column('name_nl', existing_type=sa.String(length=80), nullable=False)
        batch_op.alter_column('name_en', existing_type=sa.String(length=80), nullable=False)
        batch_op.alter_column('description_nl', existing_type=sa.String(length=500), nullable=False)
        batch_op.alter_column('description_en', existing_type=sa.String(length=500), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_themes_name_nl'), ['name_nl'])
        batch_op.create_unique_constraint(batch_op.f('uq_themes_name_en'), ['name_en'])


def downgrade():
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('description', sa.String(length=500), nullable=True))

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(themes.c.id, themes.c.kind, themes.c.name_nl, themes.c.name_en, themes.c.description_nl, themes.c.description_en)
        # Seeded themes first, so they get their old names back whatever the admin made.
        .order_by(themes.c.kind == 'custom', themes.c.id)
    ).all()
    taken = set()
    for row in rows:
        seeded = row.kind != 'custom'
        name = row.name_en if seeded else row.name_nl
        if name in taken:
            suffix = f" ({row.id})"
            name = name[: 80 - len(suffix)] + suffix
        taken.add(name)
        connection.execute(
            themes.update().where(themes.c.id == row.id).values(
                name=name, description=row.description_en if seeded else row.description_nl
            )
        )

    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.drop_constraint('uq_themes_name_nl', type_='unique')
        batch_op.drop_constraint('uq_themes_name_en', type_='unique')
        batch_op.drop_column('name_nl')
        batch_op.drop_column('name_en')
        batch_op.drop_column('description_nl')
        batch_op.drop_column('description_en')
        batch_op.alter_column('name', existing_type=sa.String(length=80), nullable=False)
        batch_op.alter_column('description', existing_type=sa.String(length=500), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_themes_name'), ['name'])
