"""Reach: reads of stories, counted by role, and bringing stories to readers."""
