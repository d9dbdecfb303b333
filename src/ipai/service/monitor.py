"""Service use cases of watchlists, alerts and their push (see docs/monitor.md).

Every watchlist remembers the last change number (documents) and write time (trademarks) it was
evaluated to; a run reads only what changed since, once for all watchlists, in chunks, and a saved
query is matched among those documents only (never its whole result set again)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from ipai.errors import InputError, NotFound
from ipai.service.context import Feature, ServiceContext
from ipai.service.status import StatusService

log = logging.getLogger("ipai.monitor")
CHUNK = 5000  # changed documents evaluated at a time
DOC_FIELDS = ("pubno", "titles", "applicants", "assignees", "classifications", "citations", "family_id")
INDEX_KINDS = ("query", "own")  # kinds that read the search index


def _when(v: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(v) if isinstance(v, str) else v


class MonitorService(Feature):
    """Watchlists, alerts and their push."""

    def __init__(self, ctx: ServiceContext, status: StatusService) -> None:
        super().__init__(ctx)
        self.status = status

    # ---- watchlists -----------------------------------------------------------------------------
    def add_watch(self, values: dict[str, Any], *, today: Any = None) -> dict[str, Any]:
        """Validate and store a watchlist; it watches what is ingested from now on (and, for your own
        patents, their legal status as it is on ``today``)."""
        from ipai.monitor.watch import clean_watch

        w = clean_watch(values)
        last_seq, last_tm = self.store.max_seq(), self.store.max_trademark_time()
        wid = self.store.add_watch(w, last_seq=last_seq, last_tm_at=last_tm)
        if w["kind"] == "own":  # the legal status each watched patent has now: a change of it is an alert
            statuses = {i: s.status for i, s in self.status.statuses(w["terms"], today).items()}
            self.store.set_watch_progress(
                wid,
                last_seq=last_seq,
                last_tm_at=last_tm,
                summary={"documents": 0, "trademarks": 0, "alerts": 0, "statuses": statuses},
            )
        return self.watch(wid)

    def watch(self, watch_id: int) -> dict[str, Any]:
        """One watchlist; :class:`NotFound` if unknown."""
        w = self.store.get_watch(int(watch_id))
        if w is None:
            raise NotFound(
                f"no watchlist #{watch_id}",
                code="not_found",
                params={"what": "watchlist", "id": f"#{watch_id}"},
            )
        return w

    def watches(self) -> dict[str, Any]:
        """Every watchlist with its alert counts."""
        items = self.store.list_watches()
        return {"items": items, "total": len(items)}

    def update_watch(self, watch_id: int, values: dict[str, Any]) -> dict[str, Any]:
        """Change a watchlist's name, terms, options, severity, channels or enabled flag."""
        from ipai.monitor.watch import clean_watch

        cur = self.watch(watch_id)
        self.store.update_watch(int(watch_id), clean_watch(values, current=cur))
        return self.watch(watch_id)

    def remove_watch(self, watch_id: int) -> None:
        """Delete a watchlist; the alerts it raised are kept."""
        if not self.store.delete_watch(int(watch_id)):
            raise NotFound(
                f"no watchlist #{watch_id}",
                code="not_found",
                params={"what": "watchlist", "id": f"#{watch_id}"},
            )

    # ---- alerts ---------------------------------------------------------------------------------
    def alerts(
        self,
        *,
        unacknowledged: bool = False,
        watchlist_id: int | None = None,
        severity: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> dict[str, Any]:
        """A page of alerts, newest first, with how many are unacknowledged."""
        from ipai.monitor.watch import SEVERITIES

        if severity and severity not in SEVERITIES:
            raise InputError(
                f"severity must be one of {', '.join(SEVERITIES)}",
                errors=[{"field": "severity", "message": "unknown severity"}],
            )
        if not 1 <= limit <= 10_000 or offset < 0:
            raise InputError(
                "limit must be 1–10000 and offset ≥ 0", errors=[{"field": "limit", "message": "out of range"}]
            )
        items, total, unack = self.store.list_alerts(
            unacknowledged=unacknowledged,
            watchlist_id=watchlist_id,
            severity=severity,
            limit=limit,
            offset=offset,
        )
        return {"items": items, "total": total, "unacknowledged": unack, "offset": offset, "limit": limit}

    def ack_alerts(self, ids: list[int] | None = None) -> int:
        """Acknowledge alerts by id (every unacknowledged one when ``ids`` is None); unknown ids are
        a :class:`NotFound` naming them. Returns how many changed."""
        if ids is not None:
            ids = [int(i) for i in ids]
            missing = sorted(set(ids) - self.store.existing_alert_ids(ids))
            if missing:
                raise NotFound(
                    f"no alert #{', #'.join(map(str, missing))}",
                    errors=[{"field": "ids", "message": f"unknown alert {m}"} for m in missing],
                )
        return self.store.ack_alerts(ids)

    # ---- evaluation -----------------------------------------------------------------------------
    def run_watchlists(
        self,
        *,
        ids: list[int] | None = None,
        since: int | None = None,
        after_ingest: bool = False,
        push: bool = True,
        today: Any = None,
    ) -> dict[str, Any]:
        """Evaluate enabled watchlists (or those in ``ids``) on what changed since each one's last run,
        store the new alerts and push them. After an ingest (``after_ingest``), watchlists that need the
        search index wait (their position is kept) when there is no index; otherwise the index is
        brought up to date first. ``since``: the change number before the ingest (for the summary).
        Watched patents (``own``) whose legal status on ``today`` differs from the last run's raise an alert."""
        t0 = time.perf_counter()
        if ids is not None:
            watches = self.store.list_watches(ids=[int(i) for i in ids])
            missing = sorted({int(i) for i in ids} - {w["id"] for w in watches})
            if missing:
                raise NotFound(
                    f"no watchlist #{missing[0]}",
                    code="not_found",
                    params={"what": "watchlist", "id": f"#{missing[0]}"},
                )
        else:
            watches = self.store.list_watches(enabled=True)
        upto, tm_upto = self.store.max_seq(), self.store.max_trademark_time()
        skipped: dict[int, str] = {}
        if any(w["kind"] in INDEX_KINDS for w in watches) and any(w["last_seq"] < upto for w in watches):
            if after_ingest and not (self.settings.home / "index").exists():
                skipped = {
                    w["id"]: "waiting for the search index (run `ipai index`)"
                    for w in watches
                    if w["kind"] in INDEX_KINDS
                }
            elif self.search_engine.status()["seq"] < upto:
                self.search_engine.refresh()
        active = [w for w in watches if w["id"] not in skipped]
        found: dict[int, list[dict[str, Any]]] = {w["id"]: [] for w in active}
        seen = {w["id"]: {"documents": 0, "trademarks": 0} for w in active}
        self._eval_documents([w for w in active if w["kind"] != "trademark"], upto, found, seen)
        if tm_upto is not None:
            self._eval_trademarks([w for w in active if w["kind"] == "trademark"], tm_upto, found, seen)
        statuses = self._eval_statuses([w for w in active if w["kind"] == "own"], found, today)
        rows = [a for w in active for a in found[w["id"]]]
        new_ids = self.store.add_alerts(rows)
        new = [a for a in rows if "id" in a]
        for w in active:
            n_new = sum(1 for a in found[w["id"]] if "id" in a)
            self.store.set_watch_progress(
                w["id"],
                last_seq=max(upto, w["last_seq"]),
                last_tm_at=tm_upto or _when(w["last_tm_at"]),
                summary={
                    **seen[w["id"]],
                    "alerts": n_new,
                    **({"statuses": statuses[w["id"]]} if w["id"] in statuses else {}),
                },
            )
        pushed: dict[str, int] = {}
        if push and new:
            pushed = self._push(active, new)
        per = [
            {
                "id": w["id"],
                "name": w["name"],
                "kind": w["kind"],
                **seen[w["id"]],
                "alerts": sum(1 for a in found[w["id"]] if "id" in a),
            }
            for w in active
        ]
        per += [
            {"id": w["id"], "name": w["name"], "kind": w["kind"], "skipped": skipped[w["id"]]}
            for w in watches
            if w["id"] in skipped
        ]
        return {
            "watchlists": per,
            "documents_evaluated": sum(v["documents"] for v in seen.values()),
            "alerts": len(new_ids),
            "alert_ids": new_ids,
            "seq": upto,
            "ingested": self.store.count_changed(since) if since is not None else None,
            "pushed": pushed,
            "seconds": round(time.perf_counter() - t0, 3),
        }

    def _eval_documents(
        self,
        watches: list[dict[str, Any]],
        upto: int,
        found: dict[int, list[dict[str, Any]]],
        seen: dict[int, dict[str, int]],
    ) -> None:
        from ipai.monitor import watch_eval as E

        watches = [w for w in watches if w["last_seq"] < upto]
        if not watches:
            return
        queries = {w["id"]: self._query_node(w["terms"][0]) for w in watches if w["kind"] == "query"}
        names = {
            w["id"]: E.NameMatcher(w["terms"], w["options"]["match"])
            for w in watches
            if w["kind"] == "competitor"
        }
        owns = {w["id"]: self._own_context(w) for w in watches if w["kind"] == "own"}
        vec_cache: dict[str, Any] = {}

        def vectors(doc_ids: list[str]) -> tuple[list[str], Any]:
            need = [i for i in doc_ids if i not in vec_cache]
            if need:
                got, mat = self.search_engine.doc_vectors(need)
                vec_cache.update(zip(got, mat, strict=False))
                vec_cache.update((i, None) for i in set(need) - set(got))
            keep = [i for i in doc_ids if vec_cache.get(i) is not None]
            import numpy as np

            return keep, np.asarray([vec_cache[i] for i in keep], dtype=np.float32)

        last = min(w["last_seq"] for w in watches)
        while True:
            batch = self.store.changed_docs(last, upto, limit=CHUNK)
            if not batch:
                break
            last = batch[-1][0]
            seqs = {i: s for s, i in batch}
            fields = self.store.get_fields(list(seqs), DOC_FIELDS)
            vec_cache.clear()
            for w in watches:
                docs = {i: f for i, f in fields.items() if seqs[i] > w["last_seq"]}
                if not docs:
                    continue
                seen[w["id"]]["documents"] += len(docs)
                kind = w["kind"]
                if kind == "competitor":
                    found[w["id"]] += E.eval_competitor(w, docs, seqs, names[w["id"]])
                elif kind == "cpc":
                    found[w["id"]] += E.eval_cpc(w, docs, seqs)
                elif kind == "query":  # the query is matched among these documents only
                    matched = self.search_engine.match_among(queries[w["id"]], list(docs))
                    found[w["id"]] += E.eval_query(w, docs, seqs, matched)
                elif kind == "own":
                    keys, fams, own_vecs = owns[w["id"]]
                    found[w["id"]] += E.eval_own(w, docs, seqs, keys, fams, own_vecs, vectors)

    def _eval_statuses(
        self, watches: list[dict[str, Any]], found: dict[int, list[dict[str, Any]]], today: Any
    ) -> dict[int, dict[str, str]]:
        """Status-change alerts of ``own`` watchlists; returns each one's statuses to remember."""
        from ipai.monitor.watch import status_changes
        from ipai.monitor.watch_eval import doc_title

        out: dict[int, dict[str, str]] = {}
        for w in watches:
            now = self.status.statuses(w["terms"], today)
            before = (w.get("last_run") or {}).get("statuses") or {}
            titles = {i: doc_title(f) for i, f in self.store.get_fields(list(now), ("titles",)).items()}
            found[w["id"]] += status_changes(w, before, now, titles)
            out[w["id"]] = {**before, **{i: s.status for i, s in now.items()}}
        return out

    def _query_node(self, query: str) -> Any:
        """A saved query, parsed and resolved (its matches are then looked for among new documents)."""
        from ipai.search.query.parser import parse_query

        return self.status.resolve_query(parse_query(query))

    def _own_context(self, w: dict[str, Any]) -> tuple[dict[tuple[str, str], str], set[str], Any]:
        """Citation keys, families and stored semantic vectors of a watchlist's own patents."""
        from ipai.monitor.watch_eval import own_keys

        keys = own_keys(w["terms"])
        stored = self.store.get_fields(w["terms"], ("family_id",))
        fams = {f["family_id"] for f in stored.values() if f.get("family_id")}
        vecs = self.search_engine.doc_vectors(list(stored)) if w["options"]["closeness"] and stored else None
        return keys, fams, vecs

    def _eval_trademarks(
        self,
        watches: list[dict[str, Any]],
        upto: dt.datetime,
        found: dict[int, list[dict[str, Any]]],
        seen: dict[int, dict[str, int]],
    ) -> None:
        from ipai.monitor.watch_eval import WordMatcher, eval_trademark

        starts = {w["id"]: _when(w["last_tm_at"]) for w in watches}
        watches = [w for w in watches if (s := starts[w["id"]]) is None or s < upto]
        if not watches:
            return
        matchers = {w["id"]: WordMatcher(w["terms"], pinyin=w["options"]["pinyin"]) for w in watches}
        known = [s for s in starts.values() if s is not None]
        after = None if len(known) < len(starts) else min(known)
        last_id = ""
        while True:
            marks = self.store.changed_trademarks(after, upto, last_id=last_id, limit=CHUNK)
            if not marks:
                break
            last_id = marks[-1]["id"]
            for w in watches:
                start = starts[w["id"]]
                mine = [m for m in marks if start is None or m["updated_at"] > start]
                seen[w["id"]]["trademarks"] += len(mine)
                found[w["id"]] += eval_trademark(w, mine, matchers[w["id"]])

    def _push(self, watches: list[dict[str, Any]], new: list[dict[str, Any]]) -> dict[str, int]:
        """Push new alerts; the outcome is stored on each alert and never raises."""
        from ipai.monitor.watch_push import push_alerts

        try:
            deliveries = push_alerts(self.settings, {w["id"]: w for w in watches}, new)
        except Exception as e:  # a push failure must not lose the alerts
            log.exception("pushing watchlist alerts failed")
            deliveries = {a["id"]: {"error": f"{type(e).__name__}: {e}"} for a in new}
        groups: dict[str, list[int]] = {}
        import json

        for aid, d in deliveries.items():
            if d:
                groups.setdefault(json.dumps(d, sort_keys=True), []).append(aid)
        for key, aids in groups.items():
            self.store.set_alert_delivery(aids, json.loads(key))
        return {
            ch: sum(1 for d in deliveries.values() if d.get(ch, {}).get("ok")) for ch in ("webhook", "email")
        }
