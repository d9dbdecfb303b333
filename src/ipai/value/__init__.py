"""Patent valuation: indicators, an indicator model, a learned model, high-value screening."""
