"""One module per source format; every :class:`ipai.ingest.base.Reader` subclass here is
registered automatically."""
