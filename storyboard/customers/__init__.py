"""Customer stories: the public form, moderation, the customer's own status page."""
