"""How dates and money read for Indonesian users, the same in pages and PDFs."""
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")


def as_wib(moment: Any) -> datetime:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # stored times are UTC
    return moment.astimezone(WIB)


def wib_today(now: datetime | None = None) -> date:
    """Today in Western Indonesian Time: the date an LSP writes on what it issues (UTC is still on
    yesterday until 07:00 WIB)."""
    return (now or datetime.now(UTC)).astimezone(WIB).date()


NOT_YET = "-"  # a step not taken yet (a draft has no submission time)


def wib(moment: Any) -> str:
    """24-11-2026 09:30 WIB (Western Indonesian Time)."""
    return NOT_YET if moment is None else as_wib(moment).strftime("%d-%m-%Y %H:%M WIB")


def tanggal(moment: Any) -> str:
    """24 November 2026, as on letters and invoices. A day (a date, or "2026-11-24") is that day; a moment
    is its day in WIB."""
    if moment is None:
        return NOT_YET
    if isinstance(moment, str) and len(moment) == 10:
        moment = date.fromisoformat(moment)
    day = moment if isinstance(moment, date) and not isinstance(moment, datetime) else as_wib(moment).date()
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def rupiah(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")
