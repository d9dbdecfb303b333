"""Creation assistance: the claim checker, the drafter, TRIZ."""
