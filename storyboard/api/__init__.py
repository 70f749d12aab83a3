"""``/api/v1``: the JSON API for survey tools, CRM and other systems (see ``views``)."""
