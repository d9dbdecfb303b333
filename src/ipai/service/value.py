"""Service use cases of valuation and high-value screening (see ipai.value)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from ipai.errors import InputError, NotFound
from ipai.service.context import Feature, ServiceContext
from ipai.service.status import StatusService

MAX_REFERENCE = 500_000  # documents the reference population is drawn from (newest first)


class ValueService(Feature):
    """Valuation over stored documents."""

    def __init__(self, ctx: ServiceContext, status: StatusService) -> None:
        super().__init__(ctx)
        self.status = status
        self._reference: tuple[tuple[int, dt.date], Any] | None = None
        self._inds: tuple[tuple[int, dt.date], dict[str, Any]] | None = None

    # ---- the reference population ------------------------------------------------------------
    def _value_reference(self, as_of: dt.date) -> Any:
        """The reference distributions of every stored document (the newest MAX_REFERENCE), read
        as columns of the store's brief facts (:mod:`ipai.service.facts`); cached until the store
        changes."""
        from ipai.store.schema import FACT_VALUES
        from ipai.value.model import Reference

        seq = self.ctx.facts_cache.sync()
        key = (seq, as_of)
        cache = self._reference
        if cache and cache[0] == key:
            return cache[1]
        import zipfile

        path = self._reference_file(seq, as_of)
        try:
            ref = Reference.load(path)
        except (
            OSError,
            ValueError,
            KeyError,
            zipfile.BadZipFile,
        ):  # not written yet (or unreadable): build and keep it
            cols = self.store.newest_facts(("country", "year", "lang", *FACT_VALUES), MAX_REFERENCE)
            ref = Reference.from_columns(cols, as_of)
            self._save_reference(ref, path)
        self._reference = (key, ref)
        return ref

    def _reference_file(self, seq: int, as_of: dt.date) -> Path:
        """Where the reference of this store version and date is kept between processes (a fresh
        process — a CLI call, a new worker — loads it instead of building it)."""
        import hashlib

        from ipai.service.facts import FACTS_VERSION

        tag = f"{self.store.url}|{seq}|{as_of.isoformat()}|{FACTS_VERSION}|{MAX_REFERENCE}"
        name = hashlib.sha1(tag.encode("utf-8")).hexdigest()[:20]
        return Path(self.settings.home) / "cache" / "value-reference" / f"{name}.npz"

    @staticmethod
    def _save_reference(ref: Any, path: Path) -> None:
        """Keep the reference file beside the two most recent others (older ones are removed); a
        read-only home just keeps it in memory."""
        try:
            kept = (
                sorted(path.parent.glob("*.npz"), key=lambda p: p.stat().st_mtime)
                if path.parent.is_dir()
                else []
            )
            for old in kept[:-2]:
                old.unlink(missing_ok=True)
            ref.save(path)
        except OSError:
            pass

    def _indicators(self, ids: list[str], as_of: dt.date) -> dict[str, Any]:
        """Indicators of ``ids`` on ``as_of`` (read and extracted once per store version)."""
        from ipai.value.indicators import BRIEF, EXTRA, extract_many

        key = (self.store.max_seq(), as_of)
        if self._inds is None or self._inds[0] != key:
            self._inds = (key, {})
        have = self._inds[1]
        missing = [i for i in dict.fromkeys(ids) if i not in have]
        if missing:
            rows = self.store.get_fields(missing, BRIEF)
            for i, extra in self.store.get_fields(missing, EXTRA).items():
                rows.setdefault(i, {}).update(extra)
            have.update((i.doc_id, i) for i in extract_many(rows, as_of))
        return have

    def _all_indicators(self, as_of: dt.date) -> list[Any]:
        """Indicators of the reference population (the newest MAX_REFERENCE documents)."""
        ids = self.store.recent_ids(MAX_REFERENCE)
        inds = self._indicators(ids, as_of)
        return [inds[i] for i in ids if i in inds]

    def _value_ids(self, numbers: list[str] | None, query: str | None, limit: int) -> tuple[list[str], int]:
        if numbers:
            ids = list(dict.fromkeys(self.ctx.resolve(n).id for n in numbers))
            return ids, len(ids)
        if query is None or not query.strip():
            raise InputError(
                "give publication numbers or a non-empty query", errors=[{"field": "q", "message": "empty"}]
            )
        if not 1 <= limit <= 200_000:
            raise InputError(
                "limit must be between 1 and 200000",
                errors=[{"field": "limit", "message": "out of range"}],
                code="range",
                params={"lo": 1, "hi": 200000},
            )
        from ipai.search.query.parser import parse_query

        node = self.status.resolve_query(parse_query(query))  # status:/family: clauses
        ids, total = self.search_engine.match_ids(node, limit=limit)
        if not ids:
            raise NotFound(f"no document matches {query!r}")
        return list(ids), total

    def _valuation(self, ids: list[str], as_of: dt.date) -> Any:
        from ipai.value.model import score

        ref = self._value_reference(as_of)
        inds = self._indicators(ids, as_of)
        return score([inds[i] for i in ids if i in inds], ref)

    def _titles(self, ids: list[str]) -> dict[str, str]:
        rows = self.store.get_fields(ids, ("titles",))
        return {i: next(iter((r.get("titles") or {}).values()), "") for i, r in rows.items()}

    def value_scores(self, ids: list[str]) -> dict[str, float]:
        """Value score (0–100) per document id, for other scenarios' explanations (matching);
        documents without indicators are left out. The first call builds the reference."""
        val = self._valuation(ids, dt.date.today())
        return {
            ind.doc_id: round(float(s), 1) for ind, s in zip(val.inds, val.scores, strict=False) if s == s
        }

    # ---- use cases -----------------------------------------------------------------------------
    def value(
        self,
        numbers: list[str] | None = None,
        query: str | None = None,
        *,
        limit: int = 1000,
        top: int = 20,
        as_of: dt.date | None = None,
    ) -> dict[str, Any]:
        """Value score with per-indicator explanation of documents by number, or of the best
        ``top`` of a query's matches (ranked by rank score); the learned model's probability too
        when one was trained (``train_value_model``)."""
        from ipai.value.learned import LogisticValue, latest
        from ipai.value.model import FULL_COVERAGE, WEIGHTS

        if top < 1:
            raise InputError("top must be at least 1", errors=[{"field": "top", "message": "must be >= 1"}])
        t0 = time.perf_counter()
        as_of = as_of or dt.date.today()
        ids, total = self._value_ids(numbers, query, limit)
        val = self._valuation(ids, as_of)
        order = (
            sorted(range(len(val.inds)), key=lambda j: -val.rank_scores[j])
            if not numbers
            else list(range(len(val.inds)))
        )
        order = order[:top] if not numbers else order
        path = latest(self.settings)
        learned = LogisticValue.load(path) if path else None
        titles = self._titles([val.inds[j].doc_id for j in order])
        docs = []
        for j in order:
            e = val.explain(j)
            e["title"] = titles.get(e["id"], "")
            if learned is not None:
                e["learned"] = learned.explain(val, j)
            docs.append(e)
        ref = self._value_reference(as_of)
        return {
            "query": query,
            "numbers": numbers,
            "matched": total,
            "valued": len(val.inds),
            "as_of": str(as_of),
            "reference_documents": ref.size,
            "weights": WEIGHTS,
            "full_coverage": FULL_COVERAGE,
            "learned_model": str(path) if path else None,
            "documents": docs,
            "timing_ms": round((time.perf_counter() - t0) * 1000, 1),
        }

    def value_screen(
        self,
        query: str,
        *,
        limit: int = 25_000,
        top_share: float = 0.5,
        min_term: float = 3.0,
        listed: int = 100,
        as_of: dt.date | None = None,
    ) -> dict[str, Any]:
        """Transformable patent pool of the portfolio a query selects (e.g. ``pa:"UNIV TSINGHUA"``):
        alive, enough term left, best-valued within the portfolio, with reasons (see ipai.value.screen)."""
        from ipai.value.screen import screen

        if not 0 < top_share <= 1:
            raise InputError(
                "top_share must be in (0, 1]", errors=[{"field": "top_share", "message": "out of range"}]
            )
        if min_term < 0:
            raise InputError("min_term must be >= 0", errors=[{"field": "min_term", "message": "negative"}])
        t0 = time.perf_counter()
        as_of = as_of or dt.date.today()
        ids, total = self._value_ids(None, query, limit)
        val = self._valuation(ids, as_of)
        out = screen(val, top_share=top_share, min_term=min_term, limit=listed)
        titles = self._titles([e["id"] for e in out["pool"]])
        for e in out["pool"]:
            e["title"] = titles.get(e["id"], "")
        return {
            "query": query,
            "matched": total,
            "as_of": str(as_of),
            **out,
            "timing_ms": round((time.perf_counter() - t0) * 1000, 1),
        }

    def train_value_model(self, *, label: str = "cites", c: float = 1.0) -> dict[str, Any]:
        """Fit the learned logistic layer on the stored documents' proxy label; writes
        ``<home>/models/value-<label>-vN.json`` and returns its summary."""
        import numpy as np

        from ipai.value.learned import excluded, fit_logistic, next_path, proxy_label
        from ipai.value.model import score

        excluded(label)
        as_of = dt.date.today()
        ref = self._value_reference(as_of)
        lst = self._all_indicators(as_of)
        newest = max((i.pub_year for i in lst if i.pub_year), default=as_of.year)
        _, y = proxy_label(lst, label, newest)
        val = score(lst, ref)
        model = fit_logistic(val, y, label, c=c)
        path = model.save(next_path(self.settings, label))
        coefs = sorted(zip(model.features, model.coef, strict=False), key=lambda t: -abs(t[1]))
        return {
            "path": str(path),
            "label": label,
            **model.meta,
            "labelled_share": round(float(np.mean(~np.isnan(y))), 4),
            "coefficients": {k: round(v, 4) for k, v in coefs},
        }
