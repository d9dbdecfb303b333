"""``ipai eval forecast``: backtest of filing forecasts against naive and linear baselines."""

from __future__ import annotations

from pathlib import Path

import typer

from ipai.cli import emit, settings
from ipai.cli.evals import eval_app


@eval_app.command("forecast")
def forecast_eval(
    paths: list[Path] = typer.Argument(..., help="Files or folders with dated patent records."),
    holdout: int = typer.Option(3, "--holdout", help="Last complete years held out and forecast."),
    by: str = typer.Option("cpc-subclass", "--by", help="Series per cpc-subclass, cpc-group or term."),
    basis: str = typer.Option("filing", "--basis", help="Year of filing, priority or publication."),
    min_docs: int = typer.Option(30, "--min-docs", help="Documents a series needs in its training years."),
    top: int = typer.Option(25, "--top", help="Series listed in the table (largest first)."),
    since: int | None = typer.Option(None, "--since", help="Ignore years before this one."),
) -> None:
    """Hold out the last complete years; ipai's forecast vs naive last-value and linear trend (MAE, sMAPE, coverage)."""
    from ipai.analytics.trends.evaluate import eval_forecast

    if basis not in ("filing", "priority", "publication"):
        raise typer.BadParameter("--basis must be filing, priority or publication")
    emit(
        eval_forecast(
            paths,
            settings(),
            holdout=holdout,
            by=by,
            basis=basis,
            min_train_docs=min_docs,
            top=top,
            first_year=since,
        )
    )
