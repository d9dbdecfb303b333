"""Service use cases of licence, transfer and pledge deals (``Service.deals``):
offers, the status workflow (each move audited), milestones and payments, each signed version and
each record deposited in the evidence log, verification of a deal's history, and export."""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

from ipai.errors import Conflict, InputError, NotFound
from ipai.service.context import Feature, ServiceContext
from ipai.service.evidence import EvidenceService
from ipai.service.security import SecurityService
from ipai.service.status import StatusService


class DealsService(Feature):
    """Deals and their verifiable history."""

    def __init__(
        self, ctx: ServiceContext, status: StatusService, evidence: EvidenceService, security: SecurityService
    ) -> None:
        super().__init__(ctx)
        self.status = status
        self.evidence = evidence
        self.security = security

    def offer_deal(
        self, values: dict[str, Any], *, lang: str | None = None, today: Any = None
    ) -> dict[str, Any]:
        """Validate and store an offer (state ``offered``); nothing is deposited before signing. A
        stored patent whose right has ended on ``today`` refuses the offer, the reason in ``lang``."""
        from ipai.deals.terms import clean_agreement

        agreement = clean_agreement(values)
        self.check_deal_rights(agreement, lang=lang, today=today)
        title = str(values.get("title") or "").strip()[:500] or None
        deal_id = self.store.add_deal(agreement["kind"], title, agreement)
        self.security.audit(
            "workspace",
            detail={"op": "deal_offer", "deal_id": deal_id, "kind": agreement["kind"], "status": "offered"},
        )
        return self.deal(deal_id)

    def check_deal_rights(
        self, agreement: dict[str, Any], *, lang: str | None = None, today: Any = None
    ) -> None:
        """Refuse (:class:`InputError` on ``patents``, in ``lang``) an agreement on a stored patent
        that has lapsed, expired, been withdrawn, refused or revoked; a number not in the store has
        no known status and passes."""
        from ipai.deals.rights import check_rights

        statuses = {}
        for p in agreement["patents"]:
            try:
                doc = self.ctx.resolve(p)
            except (NotFound, InputError):
                continue
            statuses[p] = self.status.status_of(doc, today)
        check_rights(agreement["kind"], statuses, lang)

    def deal(self, deal_id: int) -> dict[str, Any]:
        """A deal with its signed versions, milestones, payments and the states it may move to."""
        from ipai.deals.terms import TRANSITIONS

        d = self.store.get_deal(int(deal_id))
        if d is None:
            raise NotFound(
                f"no deal #{deal_id}", code="not_found", params={"what": "deal", "id": f"#{deal_id}"}
            )
        records = self.store.list_deal_records(int(deal_id))
        d["versions"] = [r for r in records if r["kind"] == "version"]
        d["records"] = [r for r in records if r["kind"] != "version"]
        d["next"] = list(TRANSITIONS.get(d["status"], ()))
        return d

    def deals(
        self, *, status: str | None = None, kind: str | None = None, limit: int = 50, offset: int = 0
    ) -> dict[str, Any]:
        if not 1 <= limit <= 1000 or offset < 0:
            raise InputError(
                "limit must be 1–1000 and offset ≥ 0", errors=[{"field": "limit", "message": "out of range"}]
            )
        items, total = self.store.list_deals(status=status, kind=kind, limit=limit, offset=offset)
        return {"items": items, "total": total, "offset": offset, "limit": limit}

    def _deposit_deal_record(
        self,
        d: dict[str, Any],
        kind: str,
        seq: int,
        payload: dict[str, Any],
        *,
        update: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Deposit ``payload`` (canonical JSON) as a ``deal`` evidence entry, apply ``update`` to the
        deal (only if its state is unchanged) and store the record with the entry's index and hash.
        Everything is validated before: a refused update leaves only an unreferenced log entry."""
        from ipai.evidence.log import canonical
        from ipai.security.context import current

        data = canonical({"deal_id": d["id"], "record": kind, "seq": seq, "by": current().user, **payload})
        dep = self.evidence.deposit_bytes(
            data,
            kind="deal",
            meta={"deal_id": d["id"], "record": kind, "seq": seq},
            tenant=d.get("tenant"),
        )
        if update is not None and not self.store.update_deal(int(d["id"]), update, expect_status=d["status"]):
            raise Conflict(f"deal #{d['id']} changed meanwhile; reload it")
        h, idx = hashlib.sha256(data).hexdigest(), int(dep["index"])
        self.store.add_deal_record(int(d["id"]), kind, seq, data.decode("utf-8"), h, idx)
        return {"seq": seq, "content_sha256": h, "evidence_index": idx}

    def move_deal(
        self,
        deal_id: int,
        status: str,
        values: dict[str, Any] | None = None,
        *,
        lang: str | None = None,
        today: Any = None,
    ) -> dict[str, Any]:
        """Move a deal to ``status``. While offered or negotiating, new agreement terms may be given
        (validated like an offer); signing deposits the agreement as a new signed version (see
        :meth:`amend_deal` for a signed deal's amendments) and is refused when a patent's right has
        ended meanwhile (the reason in ``lang``). Every move is audited."""
        from ipai.deals.terms import check_transition, clean_agreement, parse_date

        values = values or {}
        d = self.deal(deal_id)
        check_transition(d["status"], status)
        fields: dict[str, Any] = {"status": status}
        terms = values.get("terms")
        if terms:
            if d["status"] not in ("offered", "negotiating"):
                raise Conflict(
                    f"deal #{deal_id} is {d['status']!r}: amend its terms with a new signed version",
                    errors=[{"field": "terms", "message": "amend a signed deal instead"}],
                )
            fields["agreement"] = clean_agreement({**d["agreement"], **terms, "kind": d["kind"]})
        signed = parse_date(values["signed_date"], "signed_date") if values.get("signed_date") else None
        dep = None
        if status in ("negotiating", "signed", "active"):
            self.check_deal_rights(fields.get("agreement", d["agreement"]), lang=lang, today=today)
        if status == "signed":
            fields["version"] = d["version"] + 1
            dep = self._deposit_deal_record(
                d,
                "version",
                fields["version"],
                {"agreement": fields.get("agreement", d["agreement"]), "signed_date": signed},
                update=fields,
            )
        elif not self.store.update_deal(int(deal_id), fields, expect_status=d["status"]):
            raise Conflict(f"deal #{deal_id} changed meanwhile; reload it")
        self.security.audit(
            "workspace",
            detail={
                "op": "deal_move",
                "deal_id": int(deal_id),
                "from": d["status"],
                "to": status,
                **({"version": fields["version"], "evidence_index": dep["evidence_index"]} if dep else {}),
            },
        )
        return self.deal(deal_id)

    def amend_deal(
        self,
        deal_id: int,
        terms: dict[str, Any],
        *,
        signed_date: str | None = None,
        lang: str | None = None,
        today: Any = None,
    ) -> dict[str, Any]:
        """A signed or active deal's amended agreement, deposited as its next signed version."""
        from ipai.deals.terms import clean_agreement, parse_date

        d = self.deal(deal_id)
        if d["status"] not in ("signed", "active"):
            raise Conflict(
                f"deal #{deal_id} is {d['status']!r}; only a signed or active deal is amended",
                errors=[{"field": "status", "message": "not signed or active"}],
            )
        agreement = clean_agreement({**d["agreement"], **terms, "kind": d["kind"]})
        self.check_deal_rights(agreement, lang=lang, today=today)
        signed = parse_date(signed_date, "signed_date") if signed_date else None
        version = d["version"] + 1
        dep = self._deposit_deal_record(
            d,
            "version",
            version,
            {"agreement": agreement, "signed_date": signed},
            update={"agreement": agreement, "version": version},
        )
        self.security.audit(
            "workspace",
            detail={
                "op": "deal_amend",
                "deal_id": int(deal_id),
                "version": version,
                "evidence_index": dep["evidence_index"],
            },
        )
        return self.deal(deal_id)

    def add_deal_milestone(self, deal_id: int, values: dict[str, Any]) -> dict[str, Any]:
        """A milestone or payment of a signed or active deal, deposited in the evidence log."""
        from ipai.deals.terms import clean_record

        d = self.deal(deal_id)
        rec = clean_record(values, d["agreement"])
        if d["status"] not in ("signed", "active"):
            raise Conflict(
                f"deal #{deal_id} is {d['status']!r}; milestones and payments follow signing",
                errors=[{"field": "status", "message": "not signed or active"}],
            )
        seq = len(d["records"]) + 1
        dep = self._deposit_deal_record(d, rec["kind"], seq, rec)
        self.security.audit(
            "workspace",
            detail={
                "op": f"deal_{rec['kind']}",
                "deal_id": int(deal_id),
                "seq": seq,
                "evidence_index": dep["evidence_index"],
            },
        )
        return self.deal(deal_id)

    def verify_deal(self, deal_id: int) -> dict[str, Any]:
        """Recompute the hash of every stored version and record and check it against its evidence
        entry and the entry's inclusion proof under the signed tree head; ``{"ok", "records": [...]}``."""
        from ipai.evidence.log import canonical
        from ipai.evidence.verify import verify_receipt

        d = self.deal(deal_id)
        log = self.evidence.evidence_log
        out = []
        for r in d["versions"] + d["records"]:
            problems: list[str] = []
            got = hashlib.sha256(r["data"].encode("utf-8")).hexdigest()
            if got != r["content_sha256"]:
                problems.append(
                    f"the stored data hashes to {got[:16]}…, the record says {r['content_sha256'][:16]}…"
                )
            try:
                receipt = log.receipt(int(r["evidence_index"]))
            except NotFound:
                receipt = None
                problems.append(f"evidence entry #{r['evidence_index']} is missing")
            if receipt is not None:
                entry = receipt["entry"]
                if entry["content_sha256"] != got:
                    problems.append(
                        f"evidence entry #{r['evidence_index']} recorded {entry['content_sha256'][:16]}…, "
                        f"the stored data hashes to {got[:16]}…: the stored {r['kind']} was changed"
                    )
                if entry["kind"] != "deal" or (entry.get("meta") or {}).get("deal_id") != d["id"]:
                    problems.append(f"evidence entry #{r['evidence_index']} is not a deposit of this deal")
                check = verify_receipt(canonical(receipt), public_key=log.signer.public_raw)
                problems += [c["message"] for c in check["checks"] if not c["ok"]]
            out.append(
                {
                    "kind": r["kind"],
                    "seq": r["seq"],
                    "evidence_index": r["evidence_index"],
                    "content_sha256": r["content_sha256"],
                    "ok": not problems,
                    "status": "verified" if not problems else "tampered",
                    "problems": problems,
                }
            )
        return {
            "deal_id": d["id"],
            "ok": all(x["ok"] for x in out),
            "checked": len(out),
            "tampered": sum(not x["ok"] for x in out),
            "records": out,
        }

    def deal_history(
        self, deal_id: int, *, verification: dict[str, Any] | None = None, audit_limit: int = 5000
    ) -> list[dict[str, Any]]:
        """The deal's events, oldest first: offer, moves (from → to), signed versions with the terms
        they changed, milestones and payments, each with who and when (see ipai.deals.history).
        Moves come from the newest ``audit_limit`` workspace audit records."""
        from ipai.deals.history import timeline

        d = self.deal(deal_id)
        rows = self.store.audit_list(action="workspace", limit=audit_limit)
        return timeline(d, rows, verification if verification is not None else self.verify_deal(deal_id))

    def export_deal(self, deal_id: int, fmt: str = "json") -> dict[str, Any] | str:
        """The agreement data with its versions and records: a JSON object, or CSV text (one row
        per version, milestone and payment)."""
        import json

        from ipai.deals.terms import ROLES

        d = self.deal(deal_id)
        data = {
            "deal": {
                k: d[k] for k in ("id", "kind", "title", "status", "version", "created_at", "updated_at")
            },
            "agreement": d["agreement"],
            "history": [
                {
                    **json.loads(r["data"]),
                    "content_sha256": r["content_sha256"],
                    "evidence_index": r["evidence_index"],
                }
                for r in d["versions"] + d["records"]
            ],
        }
        if fmt == "json":
            return data
        if fmt != "csv":
            raise InputError(
                "format must be json or csv", errors=[{"field": "format", "message": "json or csv"}]
            )
        buf = io.StringIO()
        cols = (
            "deal_id",
            "kind",
            "status",
            "record",
            "seq",
            "title",
            "due_date",
            "done_date",
            "signed_date",
            "amount",
            "currency",
            "parties",
            "territory",
            "content_sha256",
            "evidence_index",
        )
        w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        a = d["agreement"]
        for h in data["history"]:
            ag = h.get("agreement") or a
            w.writerow(
                {
                    "deal_id": d["id"],
                    "kind": d["kind"],
                    "status": d["status"],
                    "record": h["record"],
                    "seq": h["seq"],
                    "title": h.get("title") or d.get("title"),
                    "due_date": h.get("due_date"),
                    "done_date": h.get("done_date"),
                    "signed_date": h.get("signed_date"),
                    "amount": h.get("amount", ag.get("lump_sum")),
                    "currency": h.get("currency", ag.get("currency")),
                    "parties": "; ".join(f"{k}={ag['parties'][k]}" for k in ROLES[d["kind"]]),
                    "territory": " ".join(ag["territory"]),
                    "content_sha256": h["content_sha256"],
                    "evidence_index": h["evidence_index"],
                }
            )
        return buf.getvalue()
