"""Dates as Indonesian users read them: WIB (Asia/Jakarta), whatever the server's clock zone."""
from datetime import UTC, date, datetime

from shared.display import tanggal, wib, wib_today


def test_the_lsp_date_is_the_date_in_jakarta():
    assert wib_today(datetime(2026, 11, 27, 16, 59, tzinfo=UTC)) == date(2026, 11, 27)
    assert wib_today(datetime(2026, 11, 27, 17, 0, tzinfo=UTC)) == date(2026, 11, 28)  # midnight WIB


def test_times_and_dates_print_in_wib_and_a_step_not_taken_prints_a_dash():
    moment = datetime(2026, 12, 31, 18, 30, tzinfo=UTC)
    assert wib(moment) == "01-01-2027 01:30 WIB" and tanggal(moment) == "1 Januari 2027"
    assert wib(None) == "-" and tanggal(None) == "-"
