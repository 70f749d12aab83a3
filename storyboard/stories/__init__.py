"""Stories area."""
