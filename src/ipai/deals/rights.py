"""Whether the patents of a deal can still be licensed, transferred or pledged: a right that has
ended (lapsed, expired, withdrawn, refused, revoked — :mod:`ipai.status`) cannot, and the refusal
says why in the reader's language (zh or en)."""

from __future__ import annotations

from typing import Any

from ipai.errors import InputError

KIND = {
    "licence": {"en": "a licence", "zh": "许可"},
    "transfer": {"en": "a transfer", "zh": "转让"},
    "pledge": {"en": "a pledge", "zh": "质押"},
}
REFUSAL = {
    "en": "{patent} cannot be the subject of {kind}: its legal status is {label} — {reason}",
    "zh": "{patent}不能作为{kind}的标的：其法律状态为{label}（{reason}）",
}
SEP = {"en": "; ", "zh": "；"}


def reader_lang(lang: str | None) -> str:
    """zh for Chinese (zh, zh-CN …), else en."""
    return "zh" if (lang or "").lower().startswith("zh") else "en"


def check_rights(kind: str, statuses: dict[str, Any], lang: str | None = None) -> None:
    """Raise :class:`InputError` (field ``patents``) naming every patent whose right has ended;
    ``statuses``: the number as the deal gives it → its :class:`ipai.status.LegalStatus`."""
    lg = reader_lang(lang)
    ended = [(p, st) for p, st in statuses.items() if not st.alive]
    if not ended:
        return
    what = KIND.get(kind, KIND["licence"])[lg]
    msgs = [
        REFUSAL[lg].format(patent=p, kind=what, label=st.label(lg), reason=st.reason_text(lg))
        for p, st in ended
    ]
    raise InputError(
        SEP[lg].join(msgs),
        errors=[
            {
                "field": "patents",
                "message": m,
                "patent": p,
                "status": st.status,
                "since": st.since.isoformat() if st.since else None,
            }
            for m, (p, st) in zip(msgs, ended, strict=False)
        ],
    )
