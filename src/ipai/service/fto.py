"""Service use cases of claim-vs-product comparison (freedom to operate, infringement screening)."""

from __future__ import annotations

import time
from typing import Any

from ipai.errors import InputError, NotFound


class FtoMixin:
    """Claim charts (mixed into :class:`ipai.service.Service`)."""

    store: Any
    search_engine: Any
    settings: Any

    def compare_product(self, number: str, product: str, *, claim: int | None = None) -> dict[str, Any]:
        """Claim charts of a stored patent's independent claims (or claim ``claim``) against a
        product description (see ipai.monitor.claims)."""
        from ipai.monitor.claims import claim_chart

        doc = self.resolve(number)  # type: ignore[attr-defined]
        claims = [c for c in doc.claims if (c.num == claim if claim is not None else c.independent)]
        if not doc.claims:
            raise NotFound(f"{doc.id} has no claims in the store (its source gives none)")
        if not claims:
            raise InputError(f"{doc.id} has no claim {claim}" if claim is not None else f"{doc.id}: no independent claim",
                             errors=[{"field": "claim", "message": "not found"}])
        charts = []
        for c in claims[:10]:
            chart = claim_chart(self.search_engine, c.text, product, claim_lang=c.lang)
            charts.append({"claim_number": c.num, **chart})
        best = max(charts, key=lambda x: (x["literal_coverage"], x["weighted_coverage"]))
        return {"patent": doc.id, "title": doc.title, "claims_charted": len(charts),
                "best_claim": best["claim_number"], "literal_coverage": best["literal_coverage"], "charts": charts}

    def scan_product(self, product: str, *, top: int = 10, candidates: int = 40) -> dict[str, Any]:
        """The reverse: stored patents whose first independent claim the product description
        covers most (candidates found by hybrid search of the description; documents without
        claims cannot be charted and are counted, not ranked)."""
        from ipai.monitor.claims import claim_chart
        from ipai.search.query.ast import FreeText
        from ipai.text.inputs import check_text

        product = check_text(product, field="product", what="the product description", limit=50_000)
        if not 1 <= top <= 50:
            raise InputError("top must be between 1 and 50", errors=[{"field": "top", "message": "out of range"}])
        t0 = time.perf_counter()
        res = self.search_engine.search_node(FreeText(0, product[:5000]), top=candidates, explain=False)
        docs = self.search_engine.documents([h.id for h in res.hits])
        rows, without = [], 0
        for h in res.hits:
            d = docs.get(h.id)
            c = next((c for c in d.claims if c.independent), None) if d else None
            if c is None:
                without += 1
                continue
            chart = claim_chart(self.search_engine, c.text, product, claim_lang=c.lang)
            rows.append({"patent": d.id, "title": d.title, "search_rank": h.rank, "claim_number": c.num,
                         "literal_coverage": chart["literal_coverage"], "weighted_coverage": chart["weighted_coverage"],
                         "present": chart["present"], "unclear": chart["unclear"], "absent": chart["absent"],
                         "verdict": chart["verdict"], "features": chart["features"]})
        rows.sort(key=lambda r: (-r["literal_coverage"], -r["weighted_coverage"], r["search_rank"]))
        return {"candidates": len(res.hits), "charted": len(rows), "without_claims": without, "patents": rows[:top],
                "timing_ms": round((time.perf_counter() - t0) * 1000, 1)}
