"""SOURCE_DATE_EPOCH, checked before a render starts."""

from __future__ import annotations

import os
import time

from eventsec.errors import UsageError


def check_source_date_epoch() -> None:
    """SOURCE_DATE_EPOCH stamps the plans' creation date (reportlab reads it): a value that is not
    whole seconds since 1970 up to year 9999 is a usage error, not a traceback in every worker."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        valid = not value or (value.isascii() and value.isdigit() and time.gmtime(int(value)).tm_year <= 9999)
    except (OverflowError, OSError, ValueError):
        valid = False
    if not valid:
        raise UsageError(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds since 1970-01-01 (before year 10000)")
