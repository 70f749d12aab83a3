"""Learning moments: stories that should change the process, followed to the end."""
