"""Push of new alerts: one webhook POST per watchlist run (``webhook_url``) and one e-mail per run
(``smtp_*`` settings). Every outcome is returned for storing on the alerts; nothing here raises, so a
mail server or receiver that is down never loses an alert or an ingest."""

from __future__ import annotations

import smtplib
import ssl
import time
from email.message import EmailMessage
from typing import Any

SEVERITY_MARK = {"high": "[HIGH]", "medium": "[medium]", "low": "[low]"}


def _at() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def email_configured(settings: Any) -> bool:
    """An SMTP host and at least one recipient are set."""
    return bool(getattr(settings, "smtp_host", None) and getattr(settings, "smtp_to", None))


def recipients(settings: Any) -> list[str]:
    """``smtp_to`` split on commas and semicolons."""
    raw = settings.smtp_to or ""
    return [a.strip() for a in raw.replace(";", ",").split(",") if a.strip()]


def alert_text(alerts: list[dict[str, Any]]) -> str:
    """Plain-text body: alerts grouped by watchlist, most severe first."""
    order = {"high": 0, "medium": 1, "low": 2}
    lines: list[str] = []
    by_watch: dict[str, list[dict[str, Any]]] = {}
    for a in alerts:
        by_watch.setdefault(a["watch_name"], []).append(a)
    for name, group in by_watch.items():
        lines.append(f"{name} — {len(group)} new alert(s)")
        for a in sorted(group, key=lambda a: (order.get(a["severity"], 3), a["target"])):
            lines.append(
                f"  {SEVERITY_MARK.get(a['severity'], a['severity'])} {a['target']} {a.get('title') or ''}".rstrip()
            )
            lines.append(f"      {a['reason']}")
        lines.append("")
    return "\n".join(lines)


def send_email(settings: Any, subject: str, body: str, *, timeout: float = 10.0) -> dict[str, Any]:
    """Send one plain-text message with the SMTP settings; ``{"ok", "to" | "error", "at"}``."""
    to = recipients(settings)
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = settings.smtp_from or (settings.smtp_user or "ipai@localhost")
    msg["To"] = ", ".join(to)
    msg.set_content(body)
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user and password:
                smtp.login(settings.smtp_user, password)
            smtp.send_message(msg)
        return {"ok": True, "to": to, "at": _at()}
    except (OSError, smtplib.SMTPException) as e:
        return {"ok": False, "error": f"{type(e).__name__}: {e}", "at": _at()}


def push_alerts(
    settings: Any, watches: dict[int, dict[str, Any]], alerts: list[dict[str, Any]]
) -> dict[int, dict[str, Any]]:
    """Push new alerts on the channels their watchlists chose and that are configured; the delivery
    record of each alert id (``{"webhook": {...}, "email": {...}}``; empty when nothing is configured)."""
    from ipai.transfer.push import post_webhook

    out: dict[int, dict[str, Any]] = {a["id"]: {} for a in alerts}
    by_watch: dict[int, list[dict[str, Any]]] = {}
    for a in alerts:
        by_watch.setdefault(a["watchlist_id"], []).append(a)
    url = getattr(settings, "webhook_url", None)
    if url:
        for wid, group in by_watch.items():
            w = watches[wid]
            if "webhook" not in w["channels"]:
                continue
            res = post_webhook(
                url,
                {
                    "kind": "watch_alerts",
                    "watchlist": {"id": wid, "name": w["name"], "kind": w["kind"]},
                    "alerts": [_public(a) for a in group],
                },
            )
            for a in group:
                out[a["id"]]["webhook"] = res
    if email_configured(settings):
        mail = [a for a in alerts if "email" in watches[a["watchlist_id"]]["channels"]]
        if mail:
            high = sum(a["severity"] == "high" for a in mail)
            subject = f"ipai: {len(mail)} new alert(s)" + (f", {high} high" if high else "")
            res = send_email(settings, subject, alert_text(mail))
            for a in mail:
                out[a["id"]]["email"] = res
    return out


def _public(a: dict[str, Any]) -> dict[str, Any]:
    return {k: a.get(k) for k in ("id", "target", "title", "reason", "severity", "score", "detail")}
