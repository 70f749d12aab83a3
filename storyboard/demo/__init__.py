"""Deterministic demo organisation: teams, people and a season of stories."""
