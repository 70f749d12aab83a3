"""The stakeholders' dashboard: weekly NPS next to the featured stories."""
