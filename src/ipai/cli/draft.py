"""``ipai draft …``: the claim checker and the drafter (the ``draft`` command group)."""

from __future__ import annotations

import typer

from ipai.cli import app

draft_app = typer.Typer(help="Claim checks and patent drafts (zh/en).", no_args_is_help=True)
app.add_typer(draft_app, name="draft")
