"""Deterministic demo organisation: teams, people and a season of stories.

``people`` (teams, users, the shared password), ``stories_*`` (hand-written stories),
``scenarios_*`` and ``voice_*`` (what the generator combines), ``generator`` (the
seeded plan, no database), ``loader`` (the plan into the database, idempotently) and
``cli`` (``storyboard demo``). ``survey`` plans sixteen weeks of NPS answers per
team and ``features`` features stories per team and for the organisation; both are
loaded once.
"""
