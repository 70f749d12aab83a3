"""Running Storyboard in production: health checks, serving with gunicorn, backups."""
