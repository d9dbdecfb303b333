"""The human-readable certificate of a receipt: a self-contained HTML page (printable to PDF)
with the entry, the signed head, the proof and a QR code carrying the receipt's digest and the
entry's leaf hash, so a printed copy can be matched to its JSON receipt."""

from __future__ import annotations

import hashlib
import html
from typing import Any

from ipai.evidence.log import canonical


def qr_svg(text: str) -> str:
    """A QR code as inline SVG (segno, no network)."""
    import io

    import segno

    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="svg", scale=4, xmldecl=False, svgns=True)
    return buf.getvalue().decode()


def certificate_html(receipt: dict[str, Any], lang: str = "en") -> str:
    """The certificate of a receipt in ``lang``: every field named in the reader's language, the
    depositor's own metadata (file name, note…) kept as written and marked as source text."""
    from ipai.evidence import texts as T

    zh = lang == "zh"
    e, h = receipt["entry"], receipt["tree_head"]
    digest = hashlib.sha256(canonical(receipt)).hexdigest()
    qr = qr_svg(
        f"ipai-receipt:v1;log={receipt['log_id'][:16]};index={e['index']};leaf={receipt['leaf_hash']};"
        f"root={h['root_hash']};size={h['tree_size']};receipt-sha256={digest}"
    )

    def row(key: str, val: Any, cls: str = "", source: bool = False) -> str:
        attrs = (f' class="{cls}"' if cls else "") + (" data-source" if source else "")
        return f"<tr><th>{html.escape(T.field(key, lang))}</th><td{attrs}>{html.escape(T.value(val, lang))}</td></tr>"

    meta = "".join(row(k, v, source=k in T.SOURCE_META) for k, v in sorted((e.get("meta") or {}).items()))
    proof = "<br>".join(html.escape(p) for p in receipt["inclusion_proof"]) or "—"
    title = T.label("title", lang)
    return f"""<!doctype html><html lang="{"zh-CN" if zh else "en"}"><head><meta charset="utf-8">
<title>{title} #{e["index"]}</title><style>
body{{font-family:system-ui,"WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;max-width:900px;margin:2em auto;color:#1f2933}}
table{{border-collapse:collapse;width:100%}}th,td{{text-align:left;border-bottom:1px solid #e4e7eb;padding:4px 6px;vertical-align:top}}
th{{width:12em;color:#52606d}}code,.h{{font-family:ui-monospace,monospace;font-size:.85em;word-break:break-all}}
.qr{{float:right;margin:0 0 1em 1em}}</style></head><body>
<div class="qr">{qr}</div><h1>{title} #{e["index"]}</h1>
<h2>{T.label("entry", lang)}</h2><table data-testid="certificate-entry">
{row("index", e["index"])}{row("time", e["time"])}{row("kind", T.kind(e["kind"], lang))}
{row("content_sha256", e["content_sha256"], "h")}{row("tenant", e.get("tenant") or "", source=True)}{meta}
{row("leaf_hash", receipt["leaf_hash"], "h")}</table>
<h2>{T.label("head", lang)}</h2><table>{row("log_id", h["log_id"], "h")}{row("tree_size", h["tree_size"])}
{row("root_hash", h["root_hash"], "h")}{row("timestamp", h["timestamp"])}{row("signature", h["signature"], "h")}
{row("public_key", receipt["public_key"], "h")}</table>
<h2>{T.label("proof", lang)}</h2><p class="h">{proof}</p>
<h2>{T.label("verify", lang)}</h2><p><code>{html.escape(T.label("how", lang))}</code></p>
<p class="h">{T.label("digest", lang)} {digest}</p>
</body></html>"""
