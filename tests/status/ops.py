"""Legal events of recorded EPO OPS responses, mapped into the model as ipai.status expects them
(/tmp/notes contract: code, state in ``country``, description with the free text): test input built
from the real fixtures until the OPS reader stores them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from lxml import etree

from ipai.model import LegalEvent

NS = {"ops": "http://ops.epo.org", "x": "http://www.epo.org/exchange"}


def events_from_convert(path: Path) -> list[LegalEvent]:
    """Events of a patent_client ``*_convert.json`` (``event_code`` like ``EP.PG25``, ``CH.PL``)."""
    out = []
    for e in json.loads(path.read_text(encoding="utf-8"))["events"]:
        desc = e.get("event_description") or ""
        extra = e.get("free_text") or e.get("designated_states")
        out.append(
            LegalEvent(
                code=e["event_code"],
                country=e.get("event_country"),
                date=e.get("event_date"),
                description=f"{desc} — {extra}" if extra else desc,
            )
        )
    return out


def events_from_ops_xml(path: Path) -> dict[str, list[LegalEvent]]:
    """Events per publication (``EP2400812A1`` …) of an OPS legal response."""
    out: dict[str, list[LegalEvent]] = {}
    for fm in etree.parse(str(path)).iter("{http://ops.epo.org}family-member"):
        d = fm.find("x:publication-reference/x:document-id", NS)
        pub = "".join(d.findtext(f"x:{t}", "", NS) for t in ("country", "doc-number", "kind"))
        evs = out.setdefault(pub, [])
        for lg in fm.findall("ops:legal", NS):
            f = {c.tag.split("}")[1]: (c.text or "").strip() for c in lg.iter()}
            code = lg.get("code").strip()
            if f.get("L502EP"):  # a national code reported through REG
                code = f"{f['L501EP']}.{f['L502EP']}"
            desc = lg.get("desc") + (f" — {f['L510EP']}" if f.get("L510EP") else "")
            evs.append(
                LegalEvent(
                    code=code,
                    country=f.get("L501EP") or f.get("L001EP"),
                    date=dt.date.fromisoformat(f["L007EP"]),
                    description=desc,
                )
            )
    return out
