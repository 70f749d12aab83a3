"""Archive search: a backend interface, the Whoosh backend, the outbox that feeds it."""
