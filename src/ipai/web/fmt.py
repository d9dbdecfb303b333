"""Numbers, money and dates written the way each interface language expects them (Jinja filters
``money``, ``day``, ``moment``): Chinese readers see ``¥200,000（20万元）`` and ``2025年1月15日``,
English readers ``CNY 200,000`` and ``15 Jan 2025``."""

from __future__ import annotations

import datetime as dt
from typing import Any

# currency → (symbol written before a Chinese amount, unit after 万/亿)
ZH_CURRENCY = {
    "CNY": ("¥", "元"),
    "USD": ("US$", "美元"),
    "EUR": ("€", "欧元"),
    "JPY": ("JP¥", "日元"),
    "KRW": ("₩", "韩元"),
    "GBP": ("£", "英镑"),
    "HKD": ("HK$", "港元"),
    "CHF": ("CHF ", "瑞士法郎"),
}
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _number(x: float) -> str:
    """Thousands separators; two decimals only when there are cents."""
    return f"{x:,.0f}" if abs(x - round(x)) < 0.005 else f"{x:,.2f}"


def _wan(x: float) -> str:
    """An amount in 万 or 亿 (``200000`` → ``20万``, ``150000000`` → ``1.5亿``, up to two decimals)."""
    value, unit = (x / 1e8, "亿") if abs(x) >= 1e8 else (x / 1e4, "万")
    return f"{value:,.2f}".rstrip("0").rstrip(".") + unit


def money(amount: Any, currency: str | None, lang: str) -> str:
    """``amount`` of ``currency`` for a reader of ``lang``: zh ``¥200,000（20万元）`` (the 万/亿 form
    from 10,000 up), en ``CNY 200,000``; a value that is no number is returned as text."""
    try:
        x = float(amount)
    except (TypeError, ValueError):
        return "" if amount is None else str(amount)
    code = (currency or "").upper()
    if lang == "zh":
        symbol, unit = ZH_CURRENCY.get(code, (f"{code} " if code else "", code or ""))
        text = f"{symbol}{_number(x)}"
        return f"{text}（{_wan(x)}{unit}）" if abs(x) >= 1e4 else text
    return f"{code} {_number(x)}".strip()


def _date(value: Any) -> dt.date | dt.datetime | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        if len(text) > 10:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def day(value: Any, lang: str) -> str:
    """A date: zh ``2025年1月15日``, en ``15 Jan 2025``; text that is no date is returned unchanged."""
    d = _date(value)
    if d is None:
        return "" if value is None else str(value)
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"


def moment(value: Any, lang: str) -> str:
    """A time stamp (UTC, as stored) to the minute: zh ``2025年1月15日 08:30``, en ``15 Jan 2025 08:30``."""
    d = _date(value)
    if not isinstance(d, dt.datetime):
        return day(value, lang)
    return f"{day(d, lang)} {d:%H:%M} UTC"


def percent(value: Any, lang: str) -> str:
    """A percentage given in percent (``3`` → ``3%`` / ``3 %``)."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return "" if value is None else str(value)
    n = f"{x:g}"
    return f"{n}%" if lang == "zh" else f"{n} %"
