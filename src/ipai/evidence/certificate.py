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
    zh = lang == "zh"
    e, h = receipt["entry"], receipt["tree_head"]
    digest = hashlib.sha256(canonical(receipt)).hexdigest()
    qr = qr_svg(f"ipai-receipt:v1;log={receipt['log_id'][:16]};index={e['index']};leaf={receipt['leaf_hash']};"
                f"root={h['root_hash']};size={h['tree_size']};receipt-sha256={digest}")
    L = ({"title": "存证证书", "entry": "存证记录", "head": "签名树头", "proof": "包含性证明", "verify": "离线验证",
          "how": "在任何一台安装了 ipai 的计算机上：ipai evidence verify 收据.json --file 原文件 --key 日志公钥"}
         if zh else {"title": "Evidence certificate", "entry": "Deposit", "head": "Signed tree head",
                     "proof": "Inclusion proof", "verify": "Verify offline",
                     "how": "On any machine with ipai: ipai evidence verify RECEIPT.json --file ORIGINAL --key LOG-PUBLIC-KEY"})
    meta = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
                   for k, v in sorted((e.get("meta") or {}).items()))
    proof = "<br>".join(html.escape(p) for p in receipt["inclusion_proof"]) or "—"
    return f"""<!doctype html><html lang="{'zh-CN' if zh else 'en'}"><head><meta charset="utf-8">
<title>{L['title']} #{e['index']}</title><style>
body{{font-family:system-ui,"WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;max-width:900px;margin:2em auto;color:#1f2933}}
table{{border-collapse:collapse;width:100%}}th,td{{text-align:left;border-bottom:1px solid #e4e7eb;padding:4px 6px;vertical-align:top}}
th{{width:12em;color:#52606d}}code,.h{{font-family:ui-monospace,monospace;font-size:.85em;word-break:break-all}}
.qr{{float:right;margin:0 0 1em 1em}}</style></head><body>
<div class="qr">{qr}</div><h1>{L['title']} #{e['index']}</h1>
<h2>{L['entry']}</h2><table>
<tr><th>index</th><td>{e['index']}</td></tr><tr><th>time (UTC)</th><td>{html.escape(e['time'])}</td></tr>
<tr><th>kind</th><td>{html.escape(e['kind'])}</td></tr><tr><th>content SHA-256</th><td class="h">{e['content_sha256']}</td></tr>
<tr><th>tenant</th><td>{html.escape(str(e.get('tenant') or ''))}</td></tr>{meta}
<tr><th>leaf hash</th><td class="h">{receipt['leaf_hash']}</td></tr></table>
<h2>{L['head']}</h2><table><tr><th>log id</th><td class="h">{h['log_id']}</td></tr>
<tr><th>tree size</th><td>{h['tree_size']}</td></tr><tr><th>root hash</th><td class="h">{h['root_hash']}</td></tr>
<tr><th>signed at (UTC)</th><td>{html.escape(h['timestamp'])}</td></tr><tr><th>Ed25519 signature</th><td class="h">{h['signature']}</td></tr>
<tr><th>public key</th><td class="h">{receipt['public_key']}</td></tr></table>
<h2>{L['proof']}</h2><p class="h">{proof}</p>
<h2>{L['verify']}</h2><p><code>{html.escape(L['how'])}</code></p><p class="h">receipt SHA-256 {digest}</p>
</body></html>"""
