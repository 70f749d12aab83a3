"""Curation: featuring stories for a team and a week, and the balance of what was featured."""
