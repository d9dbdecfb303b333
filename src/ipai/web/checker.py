"""Web pages of the claim checker: paste claims, see the findings marked in the claims and listed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from ipai.errors import InputError
from ipai.web.i18n import pick_lang
from ipai.web.render import page

router = APIRouter()
FIELDS = ("claims", "description", "office", "number")


def highlight(text: str, findings: list[dict[str, Any]]) -> Markup:
    """The claim text with each finding's span marked (overlapping spans: the first one wins)."""
    out: list[str] = []
    pos = 0
    for i, f in sorted(((i, f) for i, f in enumerate(findings)), key=lambda x: (x[1]["start"], -x[1]["end"])):
        start, end = max(f["start"], pos), min(f["end"], len(text))
        if end <= start:
            continue
        out.append(str(escape(text[pos:start])))
        out.append(
            f'<mark class="sev-{escape(f["severity"])}" title="{escape(f["rule"])}: {escape(f["message"])}" '
            f'data-rule="{escape(f["rule"])}" data-testid="check-mark"><a href="#finding-{f["claim"]}-{i}">'
            f"{escape(text[start:end])}</a></mark>"
        )
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


@router.get("/draft/check", response_class=HTMLResponse)
def check_form(request: Request) -> HTMLResponse:
    """The empty form."""
    return page(request, "check.html", active="check", values={"office": "CN"}, result=None, error=None)


@router.post("/draft/check", response_class=HTMLResponse)
async def check_post(request: Request) -> Response:
    """Check the pasted claims (or a stored patent) and show the findings inline and as a list."""
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in FIELDS}
    svc = request.app.state.service
    lang = pick_lang(request)[0]
    try:
        office = values["office"].upper() or "CN"
        if values["number"].strip() and not values["claims"].strip():
            result = svc.checker.check_document(values["number"].strip(), office=office, ui_lang=lang)
        else:
            result = svc.checker.check_claims(
                values["claims"], description=values["description"] or None, office=office, ui_lang=lang
            )
    except InputError as exc:
        return page(
            request,
            "check.html",
            status=exc.status,
            active="check",
            values=values,
            result=None,
            error=exc.text(lang),
        )
    rows = []
    for c in result["claims"]:
        fs = [(i, f) for i, f in enumerate(result["findings"]) if f["claim"] == c["num"]]
        marked = highlight(c["text"], [dict(f, start=f["start"], end=f["end"]) for _, f in fs])
        rows.append({"claim": c, "html": _renumber(marked, fs), "findings": [f for _, f in fs]})
    return page(request, "check.html", active="check", values=values, result=result, rows=rows, error=None)


def _renumber(html: Markup, fs: list[tuple[int, dict[str, Any]]]) -> Markup:
    """Point each mark's link at the finding's global index in the list."""
    out = str(html)
    for local, (glob, f) in enumerate(fs):
        out = out.replace(f'href="#finding-{f["claim"]}-{local}"', f'href="#finding-{glob}"', 1)
    return Markup(out)
