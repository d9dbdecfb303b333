"""Protection: watchlists and early warning, claim-vs-product comparison, trademark and design image similarity."""
