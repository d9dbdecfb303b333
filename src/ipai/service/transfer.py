"""Service use cases of technology transfer: demands, matching, the three lists, notifications."""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path
from typing import Any

from ipai.errors import InputError, NotFound
from ipai.service.classify import ClassifyService
from ipai.service.context import Feature, ServiceContext
from ipai.service.value import ValueService

log = logging.getLogger("ipai.match")


class TransferService(Feature):
    """Demands and matches."""

    def __init__(self, ctx: ServiceContext, classifier: ClassifyService, value: ValueService) -> None:
        super().__init__(ctx)
        self.classifier = classifier
        self.value = value

    # ---- demands (the needs list) ---------------------------------------------------------------
    def add_demand(self, values: dict[str, Any], *, match: bool = True) -> dict[str, Any]:
        """Validate and store a demand; with ``match`` its proposals are computed at once and a
        notification (in-app, and the webhook when configured) says how many were found."""
        from ipai.transfer.demands import clean_demand

        d = clean_demand(values)
        d.setdefault("source", "api")
        demand_id = self.store.add_demands([d])[0]
        out = self.demand(demand_id)
        if match:
            res = self.match_demand(demand_id=demand_id)
            self._notify(
                "new_demand_matches",
                f"demand #{demand_id} {out['title']!r}: "
                f"{len(res['patents'])} patents, {len(res['owners'])} owners, {len(res['experts'])} experts",
                {
                    "demand_id": demand_id,
                    "title": out["title"],
                    "patents": [p["target"] for p in res["patents"][:5]],
                    "owners": [o["label"] for o in res["owners"][:5]],
                    "counts": {k: len(res[k]) for k in ("patents", "owners", "experts")},
                },
            )
        return out

    def import_demands(self, path: Path, *, match: bool = False) -> dict[str, Any]:
        """Bulk import from CSV/XLSX: valid rows load, every bad cell is reported (row, column)."""
        from ipai.transfer.demands import import_demands

        good, bad, ignored = import_demands(Path(path))
        ids = self.store.add_demands(good) if good else []
        if match:
            for i in ids:
                self.match_demand(demand_id=i)
        return {
            "file": Path(path).name,
            "imported": len(ids),
            "ids": ids,
            "rejected_rows": sorted({b["row"] for b in bad}),
            "errors": bad,
            "ignored_columns": ignored,
        }

    def demand(self, demand_id: int) -> dict[str, Any]:
        d = self.store.get_demand(int(demand_id))
        if d is None:
            raise NotFound(
                f"no demand #{demand_id}", code="not_found", params={"what": "demand", "id": f"#{demand_id}"}
            )
        return d

    def demands(self, *, status: str | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        if not 1 <= limit <= 1000 or offset < 0:
            raise InputError(
                "limit must be 1–1000 and offset ≥ 0", errors=[{"field": "limit", "message": "out of range"}]
            )
        items, total = self.store.list_demands(status=status, limit=limit, offset=offset)
        return {"items": items, "total": total, "offset": offset, "limit": limit}

    def update_demand(self, demand_id: int, values: dict[str, Any]) -> dict[str, Any]:
        from ipai.transfer.demands import clean_demand

        self.demand(demand_id)
        self.store.update_demand(int(demand_id), clean_demand(values, partial=True))
        return self.demand(demand_id)

    def delete_demand(self, demand_id: int) -> None:
        if not self.store.delete_demand(int(demand_id)):
            raise NotFound(
                f"no demand #{demand_id}", code="not_found", params={"what": "demand", "id": f"#{demand_id}"}
            )

    # ---- matching -------------------------------------------------------------------------------
    def match_demand(
        self,
        text: str | None = None,
        *,
        demand_id: int | None = None,
        top: int = 20,
        save: bool = True,
        mode: str = "hybrid",
    ) -> dict[str, Any]:
        """Patents, owners and experts for a demand (stored by id, or a free text), each with its
        calibrated relevance and reasons; a stored demand's proposals are saved (status kept) and
        its feedback re-ranks them. ``mode``: hybrid (default), keyword or semantic search."""
        from ipai.text.inputs import check_text
        from ipai.text.lang import detect
        from ipai.transfer.matcher import Feedback, match_demand

        if not 1 <= top <= 100:
            raise InputError(
                "top must be between 1 and 100",
                errors=[{"field": "top", "message": "out of range"}],
                code="range",
                params={"lo": 1, "hi": 100},
            )
        if mode not in ("hybrid", "keyword", "semantic"):
            raise InputError(
                "mode must be hybrid, keyword or semantic", errors=[{"field": "mode", "message": "unknown"}]
            )
        fb = Feedback()
        if demand_id is not None:
            d = self.demand(demand_id)
            text, lang = d["text"], d.get("lang") or detect(d["text"])
            fb = Feedback.from_matches(self.store.list_matches(demand_id=int(demand_id), limit=10_000)[0])
        else:
            text = check_text(text, field="text", what="the demand text")
            lang = detect(text)
        classes = [c["code"] for c in (self.classifier.classes_or_none(text) or [])[:3]]
        res = match_demand(
            self.search_engine,
            text,
            lang,
            top=top,
            classes=classes,
            value=self._value_scores,
            feedback=fb,
            mode=mode,
        )
        if demand_id is not None and save:
            rows = res["patents"] + res["owners"] + res["experts"]
            res["new_proposals"] = self.store.save_matches(int(demand_id), rows)
            status = {
                (m["kind"], m["target"]): m
                for m in self.store.list_matches(demand_id=int(demand_id), limit=10_000)[0]
            }
            for r in rows:
                m = status.get((r["kind"], r["target"][:255]))
                if m:
                    r["match_id"], r["status"], r["feedback"] = m["id"], m["status"], m["feedback"]
        res["demand_id"] = demand_id
        return res

    def _value_scores(self, ids: list[str]) -> dict[str, float]:
        """Value scores (0–100) for the match reasons; none when valuation fails."""
        try:
            return self.value.value_scores(ids)
        except Exception as e:  # noqa: BLE001 - a match without value scores is still a match
            log.warning("value scores unavailable: %s", e)
            return {}

    def match_patent(self, number: str, *, top: int = 20, status: str | None = "open") -> dict[str, Any]:
        """Open demands ranked for one stored patent, with reasons."""
        from ipai.transfer.matcher import match_patent

        doc = self.ctx.resolve(number)
        demands, _ = self.store.list_demands(status=status, limit=100_000)
        from ipai.transfer.calibration import threshold

        return {
            "patent": doc.id,
            "title": doc.title,
            "threshold": threshold(),
            "demands": match_patent(self.search_engine, doc, demands, top=top),
        }

    # ---- the matches list -----------------------------------------------------------------------
    def matches(
        self,
        *,
        demand_id: int | None = None,
        kind: str | None = None,
        status: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> dict[str, Any]:
        from ipai.transfer.demands import MATCH_STATUSES

        if status and status not in MATCH_STATUSES:
            raise InputError(
                f"status must be one of {', '.join(MATCH_STATUSES)}",
                errors=[{"field": "status", "message": "unknown status"}],
            )
        if kind and kind not in ("patent", "owner", "expert"):
            raise InputError(
                "kind must be patent, owner or expert", errors=[{"field": "kind", "message": "unknown kind"}]
            )
        items, total = self.store.list_matches(
            demand_id=demand_id, kind=kind, status=status, limit=limit, offset=offset
        )
        return {"items": items, "total": total, "offset": offset, "limit": limit}

    def update_match(
        self, match_id: int, *, status: str | None = None, feedback: str | None = None
    ) -> dict[str, Any]:
        """Move a match through proposed → contacted → agreed → closed and/or record feedback."""
        from ipai.transfer.demands import FEEDBACK, MATCH_STATUSES

        errors = []
        if status is not None and status not in MATCH_STATUSES:
            errors.append({"field": "status", "message": f"must be one of {', '.join(MATCH_STATUSES)}"})
        if feedback is not None and feedback not in (*FEEDBACK, "none"):
            errors.append({"field": "feedback", "message": "must be accepted, rejected or none"})
        if errors:
            raise InputError(
                "invalid match update: " + "; ".join(f"{e['field']} {e['message']}" for e in errors),
                errors=errors,
            )
        fields: dict[str, Any] = {}
        if status is not None:
            fields["status"] = status
        if feedback is not None:
            fields["feedback"] = None if feedback == "none" else feedback
        if not self.store.update_match(int(match_id), fields) and self.store.get_match(int(match_id)) is None:
            raise NotFound(
                f"no match #{match_id}", code="not_found", params={"what": "match", "id": f"#{match_id}"}
            )
        row = self.store.get_match(int(match_id))
        if row is None:  # deleted meanwhile
            raise NotFound(
                f"no match #{match_id}", code="not_found", params={"what": "match", "id": f"#{match_id}"}
            )
        return row

    def export_matches(self, *, status: str | None = None, fmt: str = "csv") -> str:
        """The matches list as CSV (UTF-8 with BOM, so spreadsheet programs read Chinese)."""
        items = self.matches(status=status, limit=100_000)["items"]
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(
            [
                "match_id",
                "demand_id",
                "demand",
                "organisation",
                "kind",
                "target",
                "label",
                "rank",
                "score",
                "status",
                "feedback",
                "reasons",
                "updated_at",
            ]
        )
        for m in items:
            w.writerow(
                [
                    m["id"],
                    m["demand_id"],
                    m["demand_title"],
                    m.get("demand_organisation") or "",
                    m["kind"],
                    m["target"],
                    m["label"],
                    m["rank"],
                    m["score"],
                    m["status"],
                    m["feedback"] or "",
                    " | ".join((m.get("explanation") or {}).get("reasons", [])),
                    m["updated_at"],
                ]
            )
        return "\ufeff" + buf.getvalue()

    def resources(
        self, *, limit: int = 50, kinds: tuple[str, ...] = ("university", "institute")
    ) -> dict[str, Any]:
        """The resources list: patent owners of the given types (universities and institutes by
        default) with their patent counts, and their most frequent inventors (experts)."""
        from ipai.service.memo import kept
        from ipai.transfer.resources import owners_by_type

        return kept(
            self.ctx,
            ("resources", tuple(kinds), limit),
            lambda: owners_by_type(self.ctx, kinds=kinds, limit=limit),
        )

    # ---- notifications and push ----------------------------------------------------------------
    def notify_new_documents(self, since_seq: int, *, top: int = 5) -> int:
        """After an ingest: for each open demand, the new documents that now rank among its top
        proposals become a notification. Returns how many notifications were made."""
        from ipai.search.query.ast import FreeText

        demands, _ = self.store.list_demands(status="open", limit=10_000)
        if not demands or self.store.count_changed(since_seq) == 0:
            return 0
        fresh = {d for _, d in self.store.changed_docs(since_seq, self.store.max_seq(), limit=10**9)}
        made = 0
        for d in demands:
            res = self.search_engine.search_node(
                FreeText(0, d["text"]), top=top * 4, explain=False, fetch=False
            )
            new = [h.id for h in res.hits if h.id in fresh][:top]
            if new:
                self.match_demand(demand_id=d["id"])
                self._notify(
                    "new_patent_matches",
                    f"{len(new)} new document(s) match demand #{d['id']} {d['title']!r}",
                    {"demand_id": d["id"], "title": d["title"], "patents": new},
                )
                made += 1
        return made

    def _notify(self, kind: str, message: str, payload: dict[str, Any]) -> int:
        note_id = self.store.add_notification(kind, message, payload)
        url = getattr(self.settings, "webhook_url", None)
        if url:
            from ipai.transfer.push import post_webhook

            self.store.set_notification_delivery(
                note_id, post_webhook(url, {"id": note_id, "kind": kind, "message": message, **payload})
            )
        return note_id

    def notifications(self, *, unread: bool = False, limit: int = 50) -> dict[str, Any]:
        items, n_unread = self.store.list_notifications(unread=unread, limit=limit)
        return {"items": items, "unread": n_unread}

    def read_notifications(self, ids: list[int] | None = None) -> int:
        return self.store.mark_notifications_read(ids)
