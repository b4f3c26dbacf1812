from datetime import UTC, datetime, timedelta, timezone

from a2i_portal import clock


def test_timestamps_print_in_a2i_form_with_milliseconds_in_utc():
    moment = datetime(2021, 2, 17, 21, 20, 52, 563999, tzinfo=timezone(timedelta(hours=2)))

    assert clock.iso8601_millis(moment) == "2021-02-17T19:20:52.563Z"


def test_the_clock_is_timezone_aware():
    assert clock.now().tzinfo is not None
    assert clock.now().utcoffset() == UTC.utcoffset(None)
