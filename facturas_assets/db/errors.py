"""Which database errors are worth a retry (lost connections, deadlocks) and which are not."""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc as sa_exc

# MySQL / MariaDB client and server error codes for a dropped or refused connection, a server
# going away or shutting down, a killed session, and lock conflicts that succeed when retried.
TRANSIENT_MYSQL_CODES = frozenset(
    {
        1040,  # too many connections
        1053,  # server shutdown in progress
        1205,  # lock wait timeout exceeded
        1213,  # deadlock found, transaction rolled back
        1927,  # connection was killed (MariaDB)
        2002,  # can't connect through socket
        2003,  # can't connect to server
        2006,  # server has gone away
        2013,  # lost connection during query
        2014,  # commands out of sync after a broken read
        2045,  # can't open shared memory / named pipe
        2055,  # lost connection at reading initial packet
        4031,  # disconnected by the server for inactivity (MySQL 8)
    }
)

TRANSIENT_SQLITE_MESSAGES = ("database is locked", "database table is locked")


def _mysql_code(error: BaseException) -> int | None:
    args = getattr(error, "args", ())
    if args and isinstance(args[0], int):
        return args[0]
    return None


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo.extend([getattr(current, "orig", None), current.__cause__, current.__context__])
    return seen


def is_transient(exc: BaseException) -> bool:
    """True when `exc` (or what caused it) is a lost connection or lock conflict worth retrying."""
    for error in _chain(exc):
        if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, ConnectionError | TimeoutError):
            return True
        if isinstance(error, sqlite3.OperationalError):
            if any(m in str(error) for m in TRANSIENT_SQLITE_MESSAGES):
                return True
            continue
        module = type(error).__module__
        if module.startswith(("pymysql", "MySQLdb", "mysql.connector")):
            code = _mysql_code(error)
            if code in TRANSIENT_MYSQL_CODES:
                return True
            if code == 0 and "InterfaceError" in type(error).__name__:
                return True  # pymysql's "(0, '')": the socket was already closed
    return False
