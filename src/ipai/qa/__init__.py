"""Questions and answers over the corpus and user-loaded documents, with cited sources."""
