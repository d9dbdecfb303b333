"""Service use cases of claim-vs-product comparison (freedom to operate, infringement screening)."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from ipai.errors import InputError, NotFound
from ipai.service.analytics import AnalyticsService
from ipai.service.context import Feature, ServiceContext
from ipai.service.status import StatusService

SCAN_VERIFIED = 5  # scanned claims whose chart is read by meaning (the others on words only)
BLOCKING = (
    "granted",
    "in_force",
)  # only a right in force can block a product; an application may once granted


def _right(st: Any) -> dict[str, Any]:
    """What a patent's legal status means for freedom to operate: ``blocks`` (a right in force),
    ``may_block`` (an application, once granted), neither for an ended right."""
    return {
        "legal_status": st.to_dict(),
        "blocks": st.status in BLOCKING,
        "may_block": st.status == "pending",
    }


def _scan_row(d: Any, rank: int, c: Any, chart: dict[str, Any]) -> dict[str, Any]:
    return {
        "patent": d.id,
        "title": d.title,
        "search_rank": rank,
        "claim_number": c.num,
        "literal_coverage": chart["literal_coverage"],
        "weighted_coverage": chart["weighted_coverage"],
        "present": chart["present"],
        "unclear": chart["unclear"],
        "absent": chart["absent"],
        "verdict": chart["verdict"],
        "features": chart["features"],
        "read_by_meaning": chart["semantic"]["available"],
    }


class FtoService(Feature):
    """Claim charts."""

    def __init__(self, ctx: ServiceContext, status: StatusService, analytics: AnalyticsService) -> None:
        super().__init__(ctx)
        self.status = status
        self.analytics = analytics

    def compare_product(
        self,
        number: str,
        product: str,
        *,
        claim: int | None = None,
        lang: str | None = None,
        today: Any = None,
    ) -> dict[str, Any]:
        """Claim charts of a stored patent's independent claims (or claim ``claim``) against a
        product description (see ipai.fto.claims); texts in the reader's language ``lang``
        (default: the product description's); with the patent's legal status on ``today``: only a
        right in force blocks (``blocks``), an application may once granted (``may_block``)."""
        from ipai.assess.messages import say
        from ipai.fto.claims import claim_chart

        doc = self.ctx.resolve(number)
        ui = lang if lang in ("en", "zh") else None
        claims = [c for c in doc.claims if (c.num == claim if claim is not None else c.independent)]
        if not doc.claims:
            raise NotFound(
                say("fto_no_claims", ui or "en", doc=doc.id)
                if ui
                else " / ".join(say("fto_no_claims", lg, doc=doc.id) for lg in ("en", "zh")),
                code="fto_no_claims",
                params={"doc": doc.id},
            )
        if not claims:
            code = "fto_no_claim_n" if claim is not None else "fto_no_independent"
            text = (
                say(code, ui, doc=doc.id, n=claim)
                if ui
                else " / ".join(say(code, lg, doc=doc.id, n=claim) for lg in ("en", "zh"))
            )
            raise InputError(
                text,
                errors=[{"field": "claim", "message": "not found"}],
                code=code,
                params={"doc": doc.id, "n": claim},
            )
        charts = []
        for c in claims[:10]:
            chart = claim_chart(self.search_engine, c.text, product, claim_lang=c.lang, lang=ui)
            charts.append(
                {"claim_number": c.num, "claim_label": say("claim_label", chart["lang"], n=c.num), **chart}
            )
        best = max(charts, key=lambda x: (x["literal_coverage"], x["weighted_coverage"]))
        return {
            "patent": doc.id,
            "title": doc.title,
            "claims_charted": len(charts),
            "lang": charts[0]["lang"],
            "best_claim": best["claim_number"],
            "literal_coverage": best["literal_coverage"],
            **_right(self.status.status_of(doc, today)),
            "charts": charts,
        }

    def scan_product(
        self, product: str, *, top: int = 10, candidates: int = 40, lang: str | None = None, today: Any = None
    ) -> dict[str, Any]:
        """The reverse: stored patents whose first independent claim the product description
        covers most (candidates found by hybrid search of the description; documents without
        claims cannot be charted and are counted, not ranked); rights that can block (in force, or
        applications) before ended ones, each row with its legal status on ``today``."""
        from ipai.assess.messages import bad_input, check_input
        from ipai.fto.claims import PRODUCT_CHARS, claim_chart
        from ipai.search.query.ast import FreeText

        ui = lang if lang in ("en", "zh") else None
        product = check_input(product, field="product", what="what_product", limit=PRODUCT_CHARS, lang=ui)
        if not 1 <= top <= 50:
            raise bad_input("top", "top_range", ui)
        t0 = time.perf_counter()
        res = self.search_engine.search_node(FreeText(0, product[:5000]), top=candidates, explain=False)
        docs = self.search_engine.documents([h.id for h in res.hits])
        rows, without = [], 0
        for h in res.hits:  # a first pass on words: every candidate claim
            d = docs.get(h.id)
            c = next((c for c in d.claims if c.independent), None) if d else None
            if c is None:
                without += 1
                continue
            chart = claim_chart(
                self.search_engine, c.text, product, claim_lang=c.lang, lang=ui, semantic=False
            )
            rows.append(_scan_row(d, h.rank, c, chart))

        def rank(r: dict[str, Any]) -> tuple[float, float, int]:
            return (-r["literal_coverage"], -r["weighted_coverage"], r["search_rank"])

        rows.sort(key=rank)
        for i, r in enumerate(rows[: min(top, SCAN_VERIFIED)]):  # the best ones read by meaning
            d = docs[r["patent"]]
            c = next(c for c in d.claims if c.num == r["claim_number"])
            rows[i] = _scan_row(
                d,
                r["search_rank"],
                c,
                claim_chart(self.search_engine, c.text, product, claim_lang=c.lang, lang=ui),
            )
        statuses = self.status.statuses([r["patent"] for r in rows], today)
        for r in rows:
            if r["patent"] in statuses:
                r.update(_right(statuses[r["patent"]]))
        rows.sort(key=lambda r: (not (r.get("blocks") or r.get("may_block", True)), *rank(r)))
        return {
            "candidates": len(res.hits),
            "charted": len(rows),
            "without_claims": without,
            "patents": rows[:top],
            "timing_ms": round((time.perf_counter() - t0) * 1000, 1),
        }

    # ---- overseas early warning ---------------------------------------------------------------
    def import_directory(self, kind: str, path: Any) -> dict[str, Any]:
        """Load the agencies directory or the past-cases table (CSV/XLSX), replacing the previous
        one; bad rows are reported by row and column and the valid rows load."""
        from pathlib import Path

        from ipai.monitor.overseas import load_agencies, load_cases

        if kind not in ("agencies", "cases"):
            raise InputError(
                "kind must be agencies or cases", errors=[{"field": "kind", "message": "unknown"}]
            )
        rows, bad = (load_agencies if kind == "agencies" else load_cases)(Path(path))
        n = self.store.replace_directory(kind, rows)
        return {"kind": kind, "loaded": n, "errors": bad, "rejected_rows": sorted({b["row"] for b in bad})}

    def directory(self, kind: str) -> list[dict[str, Any]]:
        return self.store.list_directory(kind)

    def overseas_warning(
        self,
        company: str,
        markets: list[str],
        *,
        product: str | None = None,
        case_type: str | None = None,
        top: int = 20,
    ) -> dict[str, Any]:
        """Foreign documents closest to a company's products and patents in its target markets,
        and the agencies to act there (see ipai.monitor.overseas)."""
        import datetime as dt

        import numpy as np

        from ipai.monitor.overseas import rank_threats, recommend_agencies, words_of
        from ipai.search.query.ast import FreeText
        from ipai.service.filters import Filters, with_filters
        from ipai.text.names import normalize_name

        t0 = time.perf_counter()
        company = (company or "").strip().replace('"', " ")
        markets = [m.strip().upper() for m in markets if m.strip()]
        if not company:
            raise InputError(
                "empty company name", errors=[{"field": "company", "message": "empty"}], code="empty_company"
            )
        if not markets:
            raise InputError(
                "give at least one target market (e.g. US,EP)",
                errors=[{"field": "markets", "message": "empty"}],
            )
        own = self.analytics.facts(f'pa:"{company}"', 20_000)
        if not own and not product:
            raise NotFound(
                f"no documents with applicant {company!r} and no product description",
                code="fto_no_company_docs",
                params={"company": company},
            )
        own_ids = {f.id for f in own}
        words = company.upper().split()
        own_names = {
            normalize_name(a) for f in own for a in f.applicants if all(w in a.upper() for w in words)
        }
        classes = {s for f in own for s in f.subclasses}
        home = Counter(f.country for f in own).most_common(1)[0][0] if own else None
        vecs = []
        if own:
            _, mat = self.search_engine.doc_vectors([f.id for f in own[:2000]])
            if len(mat):
                vecs.append(mat.mean(axis=0))
        if product:
            vecs.append(self.search_engine.embed([product[:5000]])[0])
        if not vecs:
            raise NotFound(
                f"no indexed documents for {company!r}", code="no_applicant_docs", params={"name": company}
            )
        profile = np.mean(np.stack(vecs), axis=0)
        text = product or " ".join(next(iter(t.values()), "") for t in self._own_titles(own[:30]))
        node = with_filters(FreeText(0, text[:5000]), Filters.from_mapping({"cc": ",".join(markets)}))
        res = self.search_engine.search_node(node, top=150, explain=False, fetch=False)
        cand = [h.id for h in res.hits if h.id not in own_ids]
        facts = {f.id: f for f in self.ctx.facts_cache.get(cand)}
        cand = [
            i
            for i in cand
            if i in facts and not ({normalize_name(a) for a in facts[i].applicants} & own_names)
        ]
        ids, mat = self.search_engine.doc_vectors(cand)
        years = [f.year for f in facts.values() if f.year]
        threats = rank_threats(
            profile, ids, mat, facts, classes, max(years) if years else dt.date.today().year
        )[:top]
        extra = self.store.get_fields([t["id"] for t in threats], ("titles", "legal_events"))
        for t in threats:
            e = extra.get(t["id"], {})
            t["title"] = next(iter((e.get("titles") or {}).values()), "")
            t["legal_events"] = (e.get("legal_events") or [])[-5:]
        agencies = recommend_agencies(
            self.directory("agencies"),
            markets=markets,
            classes=classes,
            words=words_of(product or "") | {w.lower() for w in words},
            case_type=case_type,
            cases=self.directory("cases"),
        )
        return {
            "company": company,
            "home": home,
            "markets": markets,
            "own_documents": len(own),
            "own_classes": sorted(classes)[:20],
            "candidates": len(cand),
            "threats": threats,
            "agencies": agencies,
            "timing_ms": round((time.perf_counter() - t0) * 1000, 1),
        }

    def _own_titles(self, facts: list[Any]) -> list[dict[str, str]]:
        rows = self.store.get_fields([f.id for f in facts], ("titles",))
        return [rows[f.id].get("titles") or {} for f in facts if f.id in rows]
