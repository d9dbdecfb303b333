"""Service use cases of the disclosure-to-filing workflow (``Service.manage``):
disclosures with the patentability assessment attached, state changes (each audited), the
deadlines they set, the reminder scan, and patent ↔ product links with the portfolio per line."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from ipai.errors import InputError, IpaiError, NotFound
from ipai.service.assess import AssessService
from ipai.service.context import Feature, ServiceContext
from ipai.service.security import SecurityService

log = logging.getLogger("ipai.manage")


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    """What a reviewer needs from a patentability report: X/Y/A counts, top prior art, indicators."""
    prior = report.get("prior_art") or []
    cats = {c: sum(1 for p in prior if p.get("category") == c) for c in ("X", "Y", "A")}
    return {
        "categories": cats,
        "prior_art": [
            {k: p.get(k) for k in ("id", "pubno", "title", "category", "coverage", "date")} for p in prior[:5]
        ],
        "indicators": report.get("indicators"),
        "distinguishing": (report.get("distinguishing") or [])[:10],
        "query": report.get("query"),
        "assessed_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


class ManageService(Feature):
    """Disclosures, deadlines, reminders and the product portfolio."""

    def __init__(self, ctx: ServiceContext, assessment: AssessService, security: SecurityService) -> None:
        super().__init__(ctx)
        self.assessment = assessment
        self.security = security

    # ---- disclosures ----------------------------------------------------------------------------
    def submit_disclosure(self, values: dict[str, Any], *, assess: bool = True) -> dict[str, Any]:
        """Validate and store an inventor's disclosure (state ``submitted``) with its assessment."""
        from ipai.manage.workflow import clean_disclosure

        d = clean_disclosure(values)
        disclosure_id = self.store.add_disclosures([{**d, "status": "submitted"}])[0]
        self.security.audit(
            "workspace",
            detail={"op": "disclosure_submit", "disclosure_id": disclosure_id, "status": "submitted"},
        )
        if assess:
            self._attach_assessment(disclosure_id, d["text"])
        return self.disclosure(disclosure_id)

    def _attach_assessment(self, disclosure_id: int, text: str) -> None:
        """Run the patentability assessment and store its summary; a failure is stored as such
        (the disclosure itself is never lost for it)."""
        try:
            summary = _summary(self.assessment.assess(text, top=10, as_disclosure=True))
        except IpaiError as exc:
            summary = {"error": exc.message, "error_code": exc.code, "error_params": exc.params}
        self.store.update_disclosure(disclosure_id, {"assessment": summary})

    def disclosure(self, disclosure_id: int) -> dict[str, Any]:
        d = self.store.get_disclosure(int(disclosure_id))
        if d is None:
            raise NotFound(
                f"no disclosure #{disclosure_id}",
                code="not_found",
                params={"what": "disclosure", "id": f"#{disclosure_id}"},
            )
        d["deadlines"] = self.store.list_deadlines(disclosure_id=int(disclosure_id), limit=1000)
        d["links"] = self.store.list_product_links(patent=f"disclosure:{disclosure_id}")
        from ipai.manage.workflow import TRANSITIONS

        d["next"] = list(TRANSITIONS.get(d["status"], ()))
        return d

    def disclosures(
        self, *, status: str | None = None, product_line: str | None = None, limit: int = 50, offset: int = 0
    ) -> dict[str, Any]:
        if not 1 <= limit <= 1000 or offset < 0:
            raise InputError(
                "limit must be 1–1000 and offset ≥ 0", errors=[{"field": "limit", "message": "out of range"}]
            )
        items, total = self.store.list_disclosures(
            status=status, product_line=product_line, limit=limit, offset=offset
        )
        return {"items": items, "total": total, "offset": offset, "limit": limit}

    def move_disclosure(
        self, disclosure_id: int, status: str, values: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Move a disclosure to ``status`` (see :mod:`ipai.manage.workflow`). Review re-attaches
        the assessment; ``filed`` needs jurisdiction, filing date and applicant and computes the
        deadlines; ``granted`` needs a grant date and adds annuities; every move is audited."""
        from ipai.manage import deadlines as D
        from ipai.manage.workflow import check_transition, clean_filing

        values = values or {}
        d = self.disclosure(disclosure_id)
        check_transition(d["status"], status)
        fields: dict[str, Any] = {"status": status}
        if values.get("note"):
            fields["note"] = str(values["note"])[:5000]
        new_deadlines: list[dict[str, Any]] = []
        if status == "filed":
            fields.update(clean_filing(d, values))
            prio = (
                D.parse_date(fields["priority_date"], "priority_date")
                if fields.get("priority_date")
                else None
            )
            new_deadlines = D.filing_deadlines(
                fields["jurisdiction"], D.parse_date(fields["filing_date"], "filing_date"), prio
            )
        elif status == "granted":
            if not values.get("grant_date"):
                raise InputError(
                    "grant_date: required", errors=[{"field": "grant_date", "message": "required"}]
                )
            grant = D.parse_date(values["grant_date"], "grant_date")
            filing = D.parse_date(d["filing_date"], "filing_date")
            if grant < filing:
                raise InputError(
                    "grant_date: before the filing date",
                    errors=[{"field": "grant_date", "message": "before the filing date"}],
                )
            fields["grant_date"] = grant.isoformat()
            if d["jurisdiction"] != "PCT":
                new_deadlines = D.grant_deadlines(d["jurisdiction"], filing, grant)
        if not self.store.update_disclosure(int(disclosure_id), fields, expect_status=d["status"]):
            from ipai.errors import Conflict

            raise Conflict(f"disclosure #{disclosure_id} changed meanwhile; reload it")
        if status in ("abandoned", "lapsed", "dropped"):
            self.store.close_deadlines_of(
                int(disclosure_id), ("office_action", "annuity", "national_phase", "priority_year")
            )
        if new_deadlines:
            self.store.add_deadlines(int(disclosure_id), new_deadlines)
        self.security.audit(
            "workspace",
            detail={
                "op": "disclosure_move",
                "disclosure_id": int(disclosure_id),
                "from": d["status"],
                "to": status,
                **{k: v for k, v in fields.items() if k not in ("status", "note")},
            },
        )
        if status == "reviewing":
            self._attach_assessment(int(disclosure_id), d["text"])
        return self.disclosure(disclosure_id)

    def record_office_action(
        self, disclosure_id: int, action_date: str, *, jurisdiction: str | None = None
    ) -> dict[str, Any]:
        """An office action received: its response deadline per the jurisdiction's rule."""
        from ipai.manage import deadlines as D

        d = self.disclosure(disclosure_id)
        if d["status"] not in ("filed", "examination"):
            from ipai.errors import Conflict

            raise Conflict(
                f"disclosure #{disclosure_id} is {d['status']!r}; office actions come after filing"
            )
        code = D.check_jurisdiction(jurisdiction or d["jurisdiction"])
        row = D.office_action_deadline(code, D.parse_date(action_date, "action_date"))
        self.store.add_deadlines(int(disclosure_id), [row])
        self.security.audit(
            "workspace",
            detail={
                "op": "office_action",
                "disclosure_id": int(disclosure_id),
                "jurisdiction": code,
                "action_date": action_date,
                "due": row["due"],
            },
        )
        return self.disclosure(disclosure_id)

    # ---- deadlines and reminders ----------------------------------------------------------------
    def deadlines(
        self,
        *,
        status: str | None = "open",
        within_days: int | None = None,
        today: str | None = None,
        limit: int = 200,
    ) -> list[dict[str, Any]]:
        """Deadlines by due date (open ones by default; ``within_days`` keeps those due by then)."""
        from ipai.manage.deadlines import parse_date

        before = None
        if within_days is not None:
            base = parse_date(today, "today") if today else dt.date.today()
            before = (base + dt.timedelta(days=within_days)).isoformat()
        return self.store.list_deadlines(status=status, before=before, limit=limit)

    def complete_deadline(self, deadline_id: int) -> None:
        """Mark a deadline met (fee paid, response filed)."""
        if not self.store.close_deadline(int(deadline_id)):
            raise NotFound(
                f"no deadline #{deadline_id}",
                code="not_found",
                params={"what": "deadline", "id": f"#{deadline_id}"},
            )
        self.security.audit("workspace", detail={"op": "deadline_done", "deadline_id": int(deadline_id)})

    def scan_deadlines(self, *, days: int = 30, today: str | None = None) -> dict[str, Any]:
        """The reminder scan: open deadlines due within ``days`` or overdue raise an alert (once
        per level); returns the counts and the alerts not yet acknowledged."""
        from ipai.manage.deadlines import parse_date

        if not 0 <= days <= 3650:
            raise InputError("days must be 0–3650", errors=[{"field": "days", "message": "out of range"}])
        base = parse_date(today, "today") if today else dt.date.today()
        res = self.store.scan_deadlines(base.isoformat(), (base + dt.timedelta(days=days)).isoformat())
        return {"today": base.isoformat(), "days": days, **res}

    def deadline_alerts(self, *, unacked: bool = False, limit: int = 100) -> list[dict[str, Any]]:
        return self.store.list_deadline_alerts(unacked=unacked, limit=limit)

    def ack_deadline_alerts(self, ids: list[int]) -> int:
        return self.store.ack_deadline_alerts([int(i) for i in ids])

    # ---- patent ↔ product -----------------------------------------------------------------------
    def link_product(self, patent: str, product: str, *, product_line: str | None = None) -> dict[str, Any]:
        """Record that ``patent`` (a number, or ``disclosure:<id>``) protects ``product``."""
        patent, product = str(patent or "").strip(), str(product or "").strip()
        for field, v in (("patent", patent), ("product", product)):
            if not v:
                raise InputError(f"{field}: required", errors=[{"field": field, "message": "required"}])
        if patent.startswith("disclosure:"):
            self.disclosure(int(patent.split(":", 1)[1]) if patent.split(":", 1)[1].isdigit() else -1)
        new = self.store.add_product_link(patent, product, (product_line or "").strip() or None)
        self.security.audit("workspace", detail={"op": "product_link", "patent": patent, "product": product})
        return {"patent": patent, "product": product, "product_line": product_line, "new": new}

    def portfolio(
        self, *, product_line: str | None = None, product: str | None = None, patent: str | None = None
    ) -> dict[str, Any]:
        """Per product line: each product with the patents covering it; and each patent's products."""
        links = self.store.list_product_links(product_line=product_line, product=product, patent=patent)
        lines: dict[str, dict[str, list[str]]] = {}
        patents: dict[str, list[str]] = {}
        for ln in links:
            lines.setdefault(ln["product_line"] or "", {}).setdefault(ln["product"], []).append(ln["patent"])
            patents.setdefault(ln["patent"], []).append(ln["product"])
        return {
            "lines": [
                {
                    "product_line": k,
                    "products": [{"product": p, "patents": v} for p, v in prods.items()],
                    "patents": len({x for v in prods.values() for x in v}),
                }
                for k, prods in lines.items()
            ],
            "patents": [{"patent": k, "products": v} for k, v in patents.items()],
            "links": len(links),
        }
