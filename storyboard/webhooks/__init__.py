"""Outgoing webhooks: a signed POST to other systems when a story is published or
featured, queued in the event's transaction and sent by ``storyboard worker``."""
