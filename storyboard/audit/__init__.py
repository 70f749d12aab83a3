"""The audit log of administrative actions (see ``service.record``)."""
