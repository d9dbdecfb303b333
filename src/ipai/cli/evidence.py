"""``ipai evidence …``: deposit, show, receipts, verify (offline), audit, consistency, GI batches."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import typer

from ipai.cli import app, emit, service
from ipai.cli.errors import check_lang

ev_app = typer.Typer(
    help="Evidence deposit (存证): a tamper-evident log anyone can verify offline.", no_args_is_help=True
)
app.add_typer(ev_app, name="evidence")


@ev_app.command("add")
def add(
    path: Path | None = typer.Argument(None, help="A file or a folder to deposit."),
    url: str | None = typer.Option(None, "--url", help="Fetch this page now and deposit it."),
    sha256: str | None = typer.Option(None, "--sha256", help="Deposit only this hash."),
    disclosure: Path | None = typer.Option(None, "--disclosure", help="A disclosure text file (交底书)."),
    who: str | None = typer.Option(None, "--who", help="Who deposits."),
    note: str | None = typer.Option(None, "--note"),
    hash_only: bool = typer.Option(False, "--hash-only", help="Keep only the hash, not the content."),
    receipt: Path | None = typer.Option(None, "--receipt", help="Write the receipt here (canonical JSON)."),
) -> None:
    """Deposit a file, a folder, a URL snapshot, a disclosure or a bare hash."""
    svc = service()
    given = [x for x in (path, url, sha256, disclosure) if x]
    if len(given) != 1:
        raise typer.BadParameter("give exactly one of PATH, --url, --sha256, --disclosure")
    if url:
        r = svc.evidence.deposit_url(url, who=who)
    elif sha256:
        r = svc.evidence.deposit_hash(sha256, meta={k: v for k, v in {"who": who, "note": note}.items() if v})
    elif disclosure:
        from ipai.text.inputs import read_text_file

        r = svc.evidence.deposit_disclosure(read_text_file(disclosure), title=disclosure.name, who=who)
    elif path and path.is_dir():
        r = svc.evidence.deposit_folder(path, who=who, keep=not hash_only)
    else:
        r = svc.evidence.deposit_file(path, who=who, note=note, keep=not hash_only)
    index = r["manifest"]["index"] if "manifest" in r else r["index"]
    if receipt:
        receipt.write_bytes(svc.evidence.evidence_receipt_bytes(index))
        r["receipt"] = str(receipt)
    emit(r)


@ev_app.command("show")
def show(index: int) -> None:
    """One entry with its receipt."""
    emit(service().evidence.evidence_receipt(index))


@ev_app.command("list")
def list_(limit: int = typer.Option(20, "--limit"), kind: str | None = typer.Option(None, "--kind")) -> None:
    """The newest entries."""
    for e in service().evidence.evidence_entries(limit=limit, kind=kind):
        typer.echo(
            f"#{e['index']:<6} {e['time'][:19]}  {e['kind']:<10} {e['content_sha256'][:16]}…  "
            f"{json.dumps(e['meta'], ensure_ascii=False)[:70]}"
        )


@ev_app.command("receipt")
def receipt(
    index: int,
    out: Path = typer.Option(..., "--out", "-o", help="Receipt file (JSON)."),
    certificate: Path | None = typer.Option(None, "--certificate", help="Also write the HTML certificate."),
    pdf: Path | None = typer.Option(None, "--pdf", help="Also print the certificate to PDF (chromium)."),
    lang: str = typer.Option("en", "--lang", callback=check_lang),
) -> None:
    """Write the receipt of an entry (and its certificate with QR code)."""
    svc = service()
    out.write_bytes(svc.evidence.evidence_receipt_bytes(index))
    res = {"ok": True, "receipt": str(out)}
    html_path = certificate or (pdf.with_suffix(".html") if pdf else None)
    if html_path:
        html_path.write_text(svc.evidence.evidence_certificate(index, lang), encoding="utf-8")
        res["certificate"] = str(html_path)
        if pdf:
            from ipai.report.html import html_to_pdf

            html_to_pdf(html_path, pdf)
            res["pdf"] = str(pdf)
    emit(res)


@ev_app.command("verify")
def verify(
    receipt_file: Path = typer.Argument(..., help="The receipt (JSON) to check."),
    file: Path | None = typer.Option(None, "--file", help="The original content."),
    key: str | None = typer.Option(None, "--key", help="The log's public key (base64 or a file holding it)."),
) -> None:
    """Verify a receipt offline (no store, no network): entry, inclusion proof, signature, file."""
    from ipai.evidence.verify import verify_receipt

    pub = None
    if key:
        text = Path(key).read_text().strip() if Path(key).is_file() else key.strip()
        pub = base64.b64decode(text)
    res = verify_receipt(
        receipt_file.read_bytes(), file_bytes=file.read_bytes() if file else None, public_key=pub
    )
    for c in res["checks"]:
        typer.echo(f"{'✔' if c['ok'] else '✘'} {c['check']}: {c['message']}", err=True)
    emit(res)
    if not res["ok"]:
        raise typer.Exit(1)


@ev_app.command("key")
def key() -> None:
    """The log's public key (base64) and id: publish them; verifiers need them."""
    svc = service()
    emit(
        {
            "public_key": svc.evidence.evidence_log.signer.public_b64,
            "log_id": svc.evidence.evidence_log.signer.log_id,
        }
    )


@ev_app.command("head")
def head() -> None:
    """The newest signed tree head."""
    emit(service().evidence.evidence_head())


@ev_app.command("consistency")
def consistency(
    old_head: Path = typer.Argument(
        ..., help="A signed head kept earlier (JSON: the output of ipai evidence head, or a receipt)."
    ),
) -> None:
    """Is the log now a consistent extension of a head you kept? Detects forks and rewrites."""
    data = json.loads(old_head.read_text(encoding="utf-8"))
    res = service().evidence.evidence_check_head(
        data
    )  # a head, a receipt or the output of ipai evidence head
    emit(res)
    if not res["ok"]:
        raise typer.Exit(1)


@ev_app.command("audit")
def audit(
    head: list[Path] = typer.Option(
        [],
        "--head",
        help="A signed head kept outside this machine (the output "
        "of ipai evidence head, or a receipt); repeatable. The log must "
        "extend it: a larger head means a rollback.",
    ),
) -> None:
    """Replay the whole log: every entry and its columns, proof, head and signature; and check that
    the log extends the kept head, the published heads and the heads given (rollback)."""
    kept = [(f"the head in {p}", json.loads(p.read_text(encoding="utf-8"))) for p in head]
    res = service().evidence.evidence_audit(heads=kept)
    emit(res)
    if not res["ok"]:
        raise typer.Exit(1)


gi_app = typer.Typer(
    help="Geographical-indication (地理标志) product batches: origin and hand-overs.", no_args_is_help=True
)
ev_app.add_typer(gi_app, name="gi")


@gi_app.command("record")
def gi_record(
    batch: str,
    event: str = typer.Argument(..., help="origin, handover, inspection, sale …"),
    detail: list[str] = typer.Option([], "--detail", "-d", help="key=value (repeatable)"),
) -> None:
    """Record one event of a batch (the first must be 'origin'); each links to the previous."""
    details = dict(d.split("=", 1) for d in detail if "=" in d)
    emit(service().evidence.gi_event(batch, event, details))


@gi_app.command("trace")
def gi_trace(batch: str) -> None:
    """The batch's chain of events, each link checked."""
    emit(service().evidence.gi_trace(batch))
