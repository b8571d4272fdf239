"""Turn loader input (DataFrames or dicts from Parquet, JSON or code) into checked, typed rows."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class RowError(ValueError):
    """A row the database must not receive; the message names the row and the field."""


def records(data: Any) -> list[dict[str, Any]]:
    """Plain dicts from a pandas DataFrame, a list of mappings, or None (empty)."""
    if data is None:
        return []
    to_dict = getattr(data, "to_dict", None)
    if callable(to_dict) and hasattr(data, "columns"):
        return [dict(r) for r in to_dict(orient="records")]
    return [dict(r) for r in data]


def is_missing(value: Any) -> bool:
    """None, NaN, NaT or pandas NA: a value that is absent."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    # pandas NaT / NA and numpy NaN without importing pandas here
    if type(value).__name__ in ("NaTType", "NAType"):
        return True
    try:
        return bool(value != value)  # NaN is the only value unequal to itself
    except (TypeError, ValueError):
        return False  # arrays and containers


def _plain(value: Any) -> Any:
    """numpy scalars and arrays as Python values."""
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "shape", None) == ():
        return item()
    tolist = getattr(value, "tolist", None)
    if callable(tolist) and hasattr(value, "shape"):
        return tolist()
    return value


def to_decimal(value: Any, precision: int, scale: int, where: str) -> Decimal | None:
    """A Decimal that fits DECIMAL(precision, scale); floats are rounded to the scale, exact
    inputs (Decimal, int, str) must already fit."""
    if is_missing(value):
        return None
    value = _plain(value)
    quantum = Decimal(1).scaleb(-scale)
    if isinstance(value, bool):
        raise RowError(f"{where}: expected a number, got {value!r}")
    try:
        exact = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        raise RowError(f"{where}: {value!r} is not a number") from None
    if not exact.is_finite():
        raise RowError(f"{where}: {value!r} is not a finite number")
    limit = Decimal(10) ** (precision - scale)
    # checked before quantize too: quantizing a huge number overflows the decimal context
    if abs(exact) >= limit or abs(fitted := exact.quantize(quantum, ROUND_HALF_UP)) >= limit:
        raise RowError(f"{where}: {value!r} does not fit DECIMAL({precision},{scale})")
    # Binary floats are inexact by nature and are rounded (commercially, half up);
    # exact inputs must already fit.
    if fitted != exact and not isinstance(value, float):
        raise RowError(f"{where}: {value!r} has more than {scale} decimal places")
    return fitted


def to_date(value: Any, where: str) -> date | None:
    """A date from a date, datetime, pandas Timestamp or ISO string."""
    if is_missing(value):
        return None
    if isinstance(value, datetime):  # also pandas Timestamp
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise RowError(f"{where}: {value!r} is not an ISO date") from None
    raise RowError(f"{where}: {value!r} is not a date")


def to_datetime(value: Any, where: str) -> datetime | None:
    """A naive datetime (UTC) from a datetime, pandas Timestamp or ISO string."""
    if is_missing(value):
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise RowError(f"{where}: {value!r} is not an ISO date-time") from None
    if isinstance(value, datetime):
        to_py = getattr(value, "to_pydatetime", None)
        value = to_py() if callable(to_py) else value
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.replace(microsecond=0)
    raise RowError(f"{where}: {value!r} is not a date-time")


def _json_default(value: Any) -> Any:
    plain = _plain(value)
    if plain is not value:
        return plain
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def to_json(value: Any, where: str) -> Any:
    """A JSON-ready value (dict/list/scalar); JSON text is parsed, numpy values made plain."""
    if value is None or (not hasattr(value, "__len__") and is_missing(value)):
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise RowError(f"{where}: {value[:40]!r} is not JSON") from None
    try:
        return json.loads(json.dumps(value, default=_json_default, allow_nan=False))
    except (TypeError, ValueError) as err:
        raise RowError(f"{where}: not JSON-serializable ({err})") from None


# MySQL's TEXT holds 65,535 bytes; SQLite has no limit, so the check is made here for both.
TEXT_MAX_BYTES = 65_535


def to_str(value: Any, length: int | None, where: str) -> str | None:
    """A string no longer than `length` characters (or a TEXT's bytes when `length` is None).

    MySQL would reject a longer one and SQLite keep it: checking here makes both behave alike.
    """
    if is_missing(value):
        return None
    value = _plain(value)
    text = value if isinstance(value, str) else str(value)
    if length is not None and len(text) > length:
        raise RowError(f"{where}: {len(text)} characters, at most {length} fit")
    if length is None and len(text) * 4 > TEXT_MAX_BYTES and len(text.encode()) > TEXT_MAX_BYTES:
        raise RowError(f"{where}: {len(text.encode())} bytes, at most {TEXT_MAX_BYTES} fit")
    return text


def to_float(value: Any, where: str) -> float | None:
    """A finite float."""
    if is_missing(value):
        return None
    value = _plain(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RowError(f"{where}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise RowError(f"{where}: {value!r} is not a finite number")
    return number


def to_int(value: Any, where: str) -> int | None:
    """An integer (a float must be whole)."""
    if is_missing(value):
        return None
    value = _plain(value)
    if isinstance(value, bool):
        raise RowError(f"{where}: expected an integer, got {value!r}")
    if isinstance(value, float) and not value.is_integer():
        raise RowError(f"{where}: {value!r} is not a whole number")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise RowError(f"{where}: {value!r} is not an integer") from None


def to_bool(value: Any, where: str) -> bool | None:
    """A bool from a bool, 0/1 or 'true'/'false'."""
    if is_missing(value):
        return None
    value = _plain(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    raise RowError(f"{where}: {value!r} is not a boolean")


def to_sha256(value: Any, where: str) -> str:
    """A lowercase hex sha256 digest."""
    text = to_str(value, None, where)
    if text is None:
        raise RowError(f"{where}: sha256 is missing")
    text = text.strip().lower()
    if not SHA256_RE.match(text):
        raise RowError(f"{where}: {value!r} is not a sha256 hex digest")
    return text


def coerce(column: sa.Column[Any], value: Any, where: str) -> Any:
    """`value` converted to what `column` stores, or a RowError saying why it cannot be."""
    kind = column.type
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float):
        return to_decimal(value, kind.precision or 10, kind.scale or 0, where)
    if isinstance(kind, sa.Float):
        return to_float(value, where)
    if isinstance(kind, sa.JSON):
        return to_json(value, where)
    if isinstance(kind, sa.DateTime):
        return to_datetime(value, where)
    if isinstance(kind, sa.Date):
        return to_date(value, where)
    if isinstance(kind, sa.Boolean):
        return to_bool(value, where)
    if isinstance(kind, sa.Integer):
        return to_int(value, where)
    if isinstance(kind, sa.String):
        return to_str(value, kind.length, where)
    raise TypeError(f"no conversion for column {column.name} of type {kind!r}")


def table_row(
    table: sa.Table,
    raw: Mapping[str, Any],
    where: str,
    *,
    required: Iterable[str] = (),
    fixed: Mapping[str, Any] | None = None,
    extra: Iterable[str] = (),
) -> dict[str, Any]:
    """One complete row for `table` from `raw`: every column present, typed and checked.

    `fixed` values are set by the loader (a conflicting value in `raw` is an error); `extra` keys
    are tolerated and ignored; any other unknown key is an error, since it is most likely a typo.
    """
    fixed = dict(fixed or {})
    allowed = set(table.c.keys())
    unknown = set(raw) - allowed - set(extra)
    if unknown:
        raise RowError(f"{where}: unknown field(s) {sorted(unknown)} for table {table.name}")
    row: dict[str, Any] = {}
    for column in table.c:
        name = column.name
        if name in fixed:
            given = raw.get(name)
            if not is_missing(given) and coerce(column, given, f"{where}.{name}") != fixed[name]:
                raise RowError(f"{where}.{name}: {given!r} differs from {fixed[name]!r}")
            row[name] = fixed[name]
            continue
        row[name] = coerce(column, raw.get(name), f"{where}.{name}")
    for name in required:
        if row.get(name) is None:
            raise RowError(f"{where}: required field {name!r} is missing")
    return row
