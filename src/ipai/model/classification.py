"""Classification symbols: IPC/CPC, Locarno, Vienna, Nice; one normal form per scheme."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

Scheme = Literal["ipc", "cpc", "locarno", "uspc", "fi", "fterm", "national"]

_PAREN = re.compile(r"\(.*?\)")
_SUBCLASS = re.compile(r"^\s*\d{0,2}\s*([A-HY])\s*(\d)\s*(\d)\s*([A-Z])")
_DIGITS = re.compile(r"\d+")


class Classification(BaseModel):
    """One classification symbol on a document."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scheme: Scheme
    code: str
    main: bool = False

    @property
    def section(self) -> str | None:
        """IPC/CPC section letter (A–H, Y); ``None`` for other schemes."""
        return self.code[0] if self.scheme in ("ipc", "cpc") and self.code else None

    @property
    def subclass(self) -> str | None:
        """IPC/CPC subclass (``G06F``); ``None`` for other schemes."""
        return self.code[:4] if self.scheme in ("ipc", "cpc") and len(self.code) >= 4 else None


def normalize_ipc(raw: str | None) -> str | None:
    """Normal form of an IPC or CPC symbol: ``G06F15/16``, ``A61K2039/55555`` or ``G06F``.

    Reads the spellings offices use: ``G06F015/16``, ``G06F 17/30``, fixed-width ``G06F 1516``
    and ``B60R  900`` (USPTO SGML/APS: main group in 3 columns), ``C07D41700`` (WIPO
    landscapes), EPO ``H01F  27/14  20060101AFI…`` and ``7C 07C  29/44  A``. Returns ``None``
    when the text is not a symbol.
    """
    if not raw:
        return None
    s = _PAREN.sub(" ", str(raw).upper())
    m = _SUBCLASS.match(s)
    if not m:
        return None
    sub = "".join(m.groups())
    rest = s[m.end() :]
    if not rest.strip():
        return sub
    if "/" in rest:
        main_txt, _, tail = rest.partition("/")
        main = main_txt.strip()
        sm = _DIGITS.match(tail.strip())
        if not main.isdigit() or not sm:
            return sub if not main else None
        grp = sm.group(0)
    else:
        # fixed width: main group right-justified in 3 columns, the subgroup after it
        lead = re.match(r"^[ \d]*", rest)  # always matches (maybe the empty string)
        body = (lead.group(0) if lead else "").rstrip()
        if len(body) < 5 or not body[3:].isdigit() or not body[:3].strip().isdigit():
            return sub
        main, grp = body[:3].strip(), body[3:]
    main = main.lstrip("0") or "0"
    if len(main) > 4 or not grp:
        return None
    grp = grp if len(grp) >= 2 else grp + "0"
    return f"{sub}{main}/{grp}"


def normalize_locarno(raw: str | None) -> str | None:
    """Locarno class-subclass: ``1401`` / ``14-01`` / ``14.01`` → ``14-01``."""
    if not raw:
        return None
    d = re.sub(r"\D", "", str(raw))
    if len(d) == 4:
        return f"{d[:2]}-{d[2:]}"
    if len(d) in (1, 2):
        return d.zfill(2)
    return None


def normalize_vienna(raw: str | None) -> str | None:
    """Vienna figurative-element code: ``011703`` / ``1.17.3`` → ``01.17.03``."""
    if not raw:
        return None
    s = str(raw).strip()
    parts = re.split(r"[.\s]", s) if "." in s else [s[i : i + 2] for i in range(0, len(s), 2)]
    parts = [p for p in parts if p]
    if not parts or not all(p.isdigit() for p in parts) or len(parts) > 3:
        return None
    return ".".join(p.zfill(2) for p in parts)


def ipc_section(code: str) -> str | None:
    """Section letter of a normalised IPC/CPC code."""
    return code[:1] if code and code[0] in "ABCDEFGHY" else None
