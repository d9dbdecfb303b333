"""Measure the text hygiene on real data: ``python -m ipai.ingest.hygiene_check [DATA_DIR]``.

Reads every file of the data sets below with its reader and applies :mod:`ipai.text.hygiene` to
every title and abstract (and, counted apart, every party name). Per file: texts, those that
look garbled (:func:`~ipai.text.hygiene.looks_garbled`), those repair changes, those that stay
unrepairable, and those that lost a character or two but stay readable. On the clean data sets
every count but ``texts`` should be 0 (false positives). The Lens drone exports are checked
against the same documents' titles in the clean UTF-8 export
(``drone_drones_fulltext_families_5884.csv``): ``damaged`` titles differ from it (a different
title altogether is not counted); of those, ``repaired`` now equal it, ``flagged`` stay
unrepairable, ``lost_marked`` show their lost letters as U+FFFD and ``missed`` are none of these.
Files of one data set are summed, except the landscape exports. Prints one JSON object.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from ipai.ingest.registry import detect, expand
from ipai.text.hygiene import looks_garbled, lost_chars, repair

DATA_SETS = (
    "us-abstracts-patentsview",
    "cn-patent-titles-ipc",
    "epo-xml-samples",
    "landscape-lens-patentscope",
    "covid-patents-lens-biblio",
)
REFERENCE = "drone_drones_fulltext_families_5884.csv"


def _count(texts: list[str]) -> dict[str, int]:
    c: Counter[str] = Counter(texts=len(texts))
    for t in texts:
        r = repair(t)
        c["garbled"] += looks_garbled(t)
        c["repaired"] += r.changed and not r.unrepairable
        c["unrepairable"] += r.unrepairable
        c["lossy_readable"] += bool(lost_chars(r.text)) and not r.unrepairable
    return dict(c)


def check(data: Path) -> dict[str, Any]:
    """Counts per data set and file (see the module doc)."""
    out: dict[str, Any] = {}
    titles: dict[str, dict[str, str]] = {}  # file → {doc id: title}
    for name in DATA_SETS:
        for src in expand([data / name]):
            reader = detect(src)
            if reader is None:
                continue
            texts, names = [], []
            for item in reader.read(src):
                rec = item.record
                if rec is None or rec.record_type != "patent":
                    continue
                texts += [*rec.titles.values(), *rec.abstracts.values()]
                names += [p.name for p in (*rec.applicants, *rec.inventors, *rec.assignees)]
                if rec.titles:
                    titles.setdefault(src.basename, {})[rec.id] = next(iter(rec.titles.values()))
            key = f"{name}/{src.basename}" if name == "landscape-lens-patentscope" else name
            _add(out.setdefault(key, {}), {"texts": _count(texts), "names": _count(names)})
    ref = titles.get(REFERENCE, {})
    for fname, by_id in titles.items():
        if fname == REFERENCE or not fname.startswith("drones_"):
            continue
        c: Counter[str] = Counter()
        for doc_id, raw in by_id.items():
            good = ref.get(doc_id)
            if good is None or raw == good or good[:20].lower() != raw[:20].lower() and raw.isascii():
                continue  # no reference, identical, or another title altogether
            r = repair(raw)
            c["damaged"] += 1
            c[
                "repaired"
                if r.text == good
                else "flagged"
                if r.unrepairable
                else "lost_marked"
                if lost_chars(r.text)
                else "missed"
            ] += 1
        out[f"landscape-lens-patentscope/{fname}"]["titles_against_utf8_export"] = dict(c)
    return out


def _add(into: dict[str, Any], counts: dict[str, dict[str, int]]) -> None:
    for part, c in counts.items():
        bucket = into.setdefault(part, {})
        for k, v in c.items():
            bucket[k] = bucket.get(k, 0) + v


if __name__ == "__main__":
    from ipai.settings import load_settings

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else load_settings().shared_data
    print(json.dumps(check(folder), ensure_ascii=False))
