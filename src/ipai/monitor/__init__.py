"""Protection: watchlists and early warning, overseas early warning (claim vs product is
:mod:`ipai.fto`, image similarity :mod:`ipai.images`)."""
