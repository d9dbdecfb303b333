"""The service is a small facade over per-feature services that share one context."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from ipai.service import Service
from ipai.service.context import Feature
from ipai.settings import load_settings

FEATURES = [
    "analytics",
    "applicants",
    "assessment",
    "checker",
    "classifier",
    "corpus",
    "deals",
    "draft",
    "evidence",
    "explain",
    "fto",
    "images",
    "industry",
    "manage",
    "monitor",
    "qa",
    "search_tools",
    "searches",
    "security",
    "status",
    "transfer",
    "triz",
    "value",
]
CORE = {
    "resolve",
    "show",
    "search",
    "similar",
    "expand",
    "documents",
    "trademark",
    "existing",
    "health",
    "stats",
}


def test_every_feature_service_shares_the_facade_context(tmp_path: Path) -> None:
    svc = Service(load_settings(home=tmp_path))
    try:
        made = [k for k, v in vars(Service).items() if isinstance(v, cached_property) and k[0] != "_"]
        assert not any(isinstance(v, Feature) for v in vars(svc).values())  # each made on first use
        features = {k: v for k in made if isinstance(v := getattr(svc, k), Feature)}
        assert sorted(features) == sorted(FEATURES)
        assert all(f.ctx is svc.ctx for f in features.values())
        assert not CORE & set(FEATURES)  # no feature hides a core operation
        for name in CORE:
            assert callable(getattr(svc, name)), name
    finally:
        svc.close()


def test_the_facade_stays_small() -> None:
    """Use cases belong to a feature service, not to the facade (no class built from mixins)."""
    assert Service.__bases__ == (object,)
    own = [
        n
        for n, v in vars(Service).items()
        if not n.startswith("_") and callable(v) or isinstance(v, property)
    ]
    assert len(own) <= 16, own
