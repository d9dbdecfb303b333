"""Service use cases of evidence deposit: deposits (file, folder, hash, URL snapshot, disclosure,
GI batch events), receipts and certificates, verification, consistency, audit."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipai.errors import InputError, NotFound
from ipai.service.context import Feature, ServiceContext

if TYPE_CHECKING:
    from ipai.evidence.log import EvidenceLog

MAX_FILE_MB = 512


class EvidenceService(Feature):
    """The evidence log."""

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__(ctx)
        self._log: EvidenceLog | None = None

    @property
    def evidence_log(self) -> EvidenceLog:
        """The signed, append-only log over this store (opened again when the store is)."""
        from ipai.evidence.log import EvidenceLog

        if self._log is None or self._log.store is not self.store:
            self._log = EvidenceLog(self.store, self.settings.home, publish=self._publish_head)
        return self._log

    def _publish_head(self, head: dict[str, Any]) -> None:
        """Anchoring: copy a new signed head to the configured folder and/or URL; failures are
        logged, never raised (verification never depends on them)."""
        import logging

        from ipai.evidence.log import canonical

        log = logging.getLogger("ipai.evidence")
        d, url = self.settings.evidence_publish_dir, self.settings.evidence_publish_url
        if d:
            try:
                Path(d).mkdir(parents=True, exist_ok=True)
                (Path(d) / f"head-{head['tree_size']}.json").write_bytes(canonical(head))
            except OSError as e:
                log.warning("could not publish tree head %s to %s: %s", head["tree_size"], d, e)
        if url:
            from ipai.transfer.push import post_webhook

            res = post_webhook(url, head, attempts=1, timeout=3.0)
            if not res.get("ok"):
                log.warning("could not publish tree head %s to %s: %s", head["tree_size"], url, res)

    # ---- deposits ------------------------------------------------------------------------------
    def deposit_bytes(
        self,
        data: bytes,
        *,
        kind: str = "file",
        meta: dict[str, Any] | None = None,
        keep: bool = True,
        tenant: str | None = None,
    ) -> dict[str, Any]:
        """Deposit content: its SHA-256 goes into the log, the bytes into the blob store when ``keep``."""
        if len(data) > MAX_FILE_MB * 1024 * 1024:
            raise InputError(
                f"content over {MAX_FILE_MB} MB: deposit its hash instead",
                errors=[{"field": "file", "message": "too large"}],
            )
        h = self.evidence_log.put_blob(data) if keep else hashlib.sha256(data).hexdigest()
        meta = {**(meta or {}), "bytes": len(data), "kept": keep}
        return self._deposited(
            self.evidence_log.add([{"kind": kind, "content_sha256": h, "meta": meta, "tenant": tenant}])[0]
        )

    def deposit_file(
        self,
        path: Path,
        *,
        who: str | None = None,
        note: str | None = None,
        keep: bool = True,
        tenant: str | None = None,
    ) -> dict[str, Any]:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"not a file: {p}", errors=[{"field": "file", "message": "not found"}])
        meta = {k: v for k, v in {"name": p.name, "who": who, "note": note}.items() if v}
        return self.deposit_bytes(p.read_bytes(), kind="file", meta=meta, keep=keep, tenant=tenant)

    def deposit_folder(
        self, path: Path, *, who: str | None = None, keep: bool = True, tenant: str | None = None
    ) -> dict[str, Any]:
        """Every file of a folder as its own entry, then the folder's manifest (relative path →
        SHA-256, sorted) as one more entry: one receipt proves the whole set."""
        root = Path(path)
        if not root.is_dir():
            raise InputError(f"not a folder: {root}", errors=[{"field": "folder", "message": "not found"}])
        files = sorted(p for p in root.rglob("*") if p.is_file())
        if not files:
            raise InputError(f"{root} holds no files", errors=[{"field": "folder", "message": "empty"}])
        items, manifest = [], {}
        for p in files:
            data = p.read_bytes()
            h = self.evidence_log.put_blob(data) if keep else hashlib.sha256(data).hexdigest()
            rel = p.relative_to(root).as_posix()
            manifest[rel] = h
            items.append(
                {
                    "kind": "file",
                    "content_sha256": h,
                    "tenant": tenant,
                    "meta": {
                        "name": rel,
                        "folder": root.name,
                        "bytes": len(data),
                        "kept": keep,
                        **({"who": who} if who else {}),
                    },
                }
            )
        from ipai.evidence.log import canonical

        man = canonical({"folder": root.name, "files": manifest})
        mh = self.evidence_log.put_blob(man)
        items.append(
            {
                "kind": "folder",
                "content_sha256": mh,
                "tenant": tenant,
                "meta": {"name": root.name, "files": len(files), **({"who": who} if who else {})},
            }
        )
        rows = self.evidence_log.add(items)
        return {
            "files": len(files),
            "entries": [r["idx"] for r in rows],
            "manifest": self._deposited(rows[-1]),
        }

    def deposit_hash(
        self, content_sha256: str, *, meta: dict[str, Any] | None = None, tenant: str | None = None
    ) -> dict[str, Any]:
        """Deposit only a hash (the content stays with its owner)."""
        return self._deposited(
            self.evidence_log.add(
                [
                    {
                        "kind": "hash",
                        "content_sha256": content_sha256.lower(),
                        "meta": meta or {},
                        "tenant": tenant,
                    }
                ]
            )[0]
        )

    def deposit_disclosure(
        self, text: str, *, title: str | None = None, who: str | None = None, tenant: str | None = None
    ) -> dict[str, Any]:
        """A technical disclosure (交底书) before filing: the text is kept, its hash logged."""
        from ipai.text.inputs import check_text

        text = check_text(text, field="text", what="the disclosure")
        meta = {k: v for k, v in {"title": title, "who": who, "chars": len(text)}.items() if v}
        return self.deposit_bytes(text.encode("utf-8"), kind="disclosure", meta=meta, tenant=tenant)

    def deposit_url(
        self, url: str, *, who: str | None = None, timeout: float = 20.0, tenant: str | None = None
    ) -> dict[str, Any]:
        """Fetch a page now and deposit the body; status and headers go into the entry."""
        import datetime as dt

        import httpx

        if not url.lower().startswith(("http://", "https://")):
            raise InputError(
                "the URL must start with http:// or https://",
                errors=[{"field": "url", "message": "not http(s)"}],
            )
        try:
            r = httpx.get(
                url, timeout=timeout, follow_redirects=True, headers={"User-Agent": "ipai-evidence"}
            )
        except httpx.HTTPError as e:
            raise InputError(
                f"could not fetch {url}: {type(e).__name__}: {e}",
                errors=[{"field": "url", "message": "unreachable"}],
            ) from None
        meta = {
            "url": url,
            "final_url": str(r.url),
            "status": r.status_code,
            "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "headers": {
                k: v
                for k, v in r.headers.items()
                if k.lower() in ("content-type", "date", "last-modified", "etag", "server", "content-length")
            },
            **({"who": who} if who else {}),
        }
        return self.deposit_bytes(r.content, kind="url", meta=meta, tenant=tenant)

    def gi_event(
        self, batch: str, event: str, details: dict[str, Any] | None = None, *, tenant: str | None = None
    ) -> dict[str, Any]:
        """One event of a geographical-indication product batch (origin, each hand-over …),
        chained to the batch's previous event by its leaf hash."""
        batch, event = (batch or "").strip(), (event or "").strip()
        if not batch or not event:
            raise InputError(
                "batch and event are required",
                errors=[{"field": "batch" if not batch else "event", "message": "empty"}],
            )
        chain = self._gi_chain(batch)
        prev = chain[-1]["leaf_hash"] if chain else None
        if prev is None and event != "origin":
            raise InputError(
                f"batch {batch!r} has no origin record yet: record event 'origin' first",
                errors=[{"field": "event", "message": "origin first"}],
            )
        from ipai.evidence.log import canonical

        record = {"batch": batch, "event": event, "details": details or {}, "previous": prev}
        h = self.evidence_log.put_blob(canonical(record))
        return self._deposited(
            self.evidence_log.add(
                [
                    {
                        "kind": "gi",
                        "content_sha256": h,
                        "tenant": tenant,
                        "meta": {"batch": batch, "event": event, "previous": prev, **(details or {})},
                    }
                ]
            )[0]
        )

    def _gi_chain(self, batch: str) -> list[dict[str, Any]]:
        out = []
        for row in self.store.evidence_list(limit=1_000_000, kind="gi"):
            e = json.loads(row["entry"])
            if e["meta"].get("batch") == batch:
                out.append({**e, "leaf_hash": row["leaf_hash"]})
        return sorted(out, key=lambda e: e["index"])

    def gi_trace(self, batch: str) -> dict[str, Any]:
        """The batch's events in order, each link checked (previous = the leaf before)."""
        chain = self._gi_chain(batch)
        if not chain:
            raise NotFound(
                f"no events for GI batch {batch!r}",
                code="not_found",
                params={"what": "gi_batch", "id": batch},
            )
        problems = []
        for a, b in zip(chain, chain[1:], strict=False):
            if b["meta"].get("previous") != a["leaf_hash"]:
                problems.append(f"event #{b['index']} does not point at #{a['index']}")
        if chain[0]["meta"].get("event") != "origin":
            problems.append("the first event is not the origin record")
        return {
            "batch": batch,
            "ok": not problems,
            "problems": problems,
            "events": [
                {
                    "index": e["index"],
                    "time": e["time"],
                    "event": e["meta"].get("event"),
                    "details": {
                        k: v for k, v in e["meta"].items() if k not in ("batch", "event", "previous")
                    },
                    "leaf_hash": e["leaf_hash"],
                }
                for e in chain
            ],
        }

    def _deposited(self, row: dict[str, Any]) -> dict[str, Any]:
        e = json.loads(row["entry"])
        return {"index": row["idx"], "leaf_hash": row["leaf_hash"], **e}

    # ---- reading, receipts, checks -------------------------------------------------------------
    def evidence_entries(
        self, *, limit: int = 50, offset: int = 0, kind: str | None = None
    ) -> list[dict[str, Any]]:
        return [self._deposited(r) for r in self.store.evidence_list(limit=limit, offset=offset, kind=kind)]

    def evidence_receipt(self, index: int) -> dict[str, Any]:
        return self.evidence_log.receipt(index)

    def evidence_receipt_bytes(self, index: int) -> bytes:
        """The receipt file: canonical JSON (any edited byte is detected)."""
        from ipai.evidence.log import canonical

        return canonical(self.evidence_receipt(index))

    def evidence_certificate(self, index: int, lang: str = "en") -> str:
        from ipai.evidence.certificate import certificate_html

        return certificate_html(self.evidence_receipt(index), lang)

    def evidence_head(self) -> dict[str, Any]:
        return {**self.evidence_log.head(), "public_key": self.evidence_log.signer.public_b64}

    def evidence_consistency(self, old_size: int, new_size: int | None = None) -> dict[str, Any]:
        return self.evidence_log.consistency(old_size, new_size)

    def evidence_check_head(self, head: Any) -> dict[str, Any]:
        """Is the log a consistent extension of a head the user kept (a head, a receipt, or the
        output of ``ipai evidence head``)?"""
        return self.evidence_log.check_head(head)

    def evidence_audit(
        self, progress: Any = None, heads: list[tuple[str, Any]] | None = None
    ) -> dict[str, Any]:
        """Replay the whole log; besides the kept head, check it against the heads published to
        ``evidence_publish_dir`` and ``heads`` ((where, head) the caller kept) for a rollback."""
        from ipai.evidence.audit import audit

        refs: list[tuple[str, Any]] = []
        d = self.settings.evidence_publish_dir
        for p in sorted(Path(d).glob("head-*.json")) if d and Path(d).is_dir() else []:
            try:
                refs.append((f"the published head {p}", json.loads(p.read_bytes())))
            except (OSError, ValueError) as e:
                refs.append((f"the published head {p}", {"unreadable": str(e)}))
        return audit(self.evidence_log, progress=progress, references=refs + list(heads or []))

    def evidence_find(self, data: bytes) -> list[dict[str, Any]]:
        """Entries whose content is these bytes."""
        return [self._deposited(r) for r in self.store.evidence_find(hashlib.sha256(data).hexdigest())]
