"""Creation assistance: the claim checker and the drafter (TRIZ is :mod:`ipai.triz`)."""
