"""Database triggers that make a table append-only, on SQLite and on PostgreSQL.

Migrations call :func:`protect` for the audit log and the archive. Only tests call
:func:`unprotect`: to tamper on purpose, and to let a transactional test empty the database.

The one sanctioned exception is disposal under a retention rule (DESIGN.md §5.1): inside
:func:`deletion_permitted` a transaction may DELETE rows of the tables it names. The permit is a row
that the same transaction inserts and removes again, so no other transaction ever sees it (MVCC on
PostgreSQL; SQLite has one writer at a time). UPDATE stays refused. What a disposal removes is
recorded in the archive's hash chain, which ``verify_archive`` checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

PERMIT_TABLE = "core_deletionpermit"

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION sigill_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM core_deletionpermit p WHERE p.table_name = TG_TABLE_NAME) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'sigill: % on % is refused: the table is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def protect(connection: BaseDatabaseWrapper, table: str) -> None:
    """Install triggers on ``table`` that refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {qn(table + '_append_only')} BEFORE UPDATE OR DELETE ON {qn(table)} "
                "FOR EACH ROW EXECUTE FUNCTION sigill_refuse_change()"
            )
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {qn(table + '_no_truncate')} BEFORE TRUNCATE ON {qn(table)} "
                "FOR EACH STATEMENT EXECUTE FUNCTION sigill_refuse_change()"
            )
        elif connection.vendor == "sqlite":
            for op in ("UPDATE", "DELETE"):
                unless = (
                    f"WHEN NOT EXISTS (SELECT 1 FROM {PERMIT_TABLE} WHERE table_name = '{table}') "  # noqa: S608
                    if op == "DELETE"
                    else ""
                )
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {qn(f'{table}_no_{op.lower()}')} BEFORE {op} ON {qn(table)} "
                    f"{unless}BEGIN SELECT RAISE(ABORT, 'sigill: {op} on {table} is refused: the table is append-only'); END"
                )
        else:
            raise NotImplementedError(f"No append-only triggers for {connection.vendor}")


def unprotect(connection: BaseDatabaseWrapper, table: str) -> None:
    """Remove the triggers :func:`protect` installed."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {qn(table + '_append_only')} ON {qn(table)}")
            cursor.execute(f"DROP TRIGGER IF EXISTS {qn(table + '_no_truncate')} ON {qn(table)}")
        else:
            for op in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {qn(f'{table}_no_{op}')}")


@contextmanager
def deletion_permitted(tables: Sequence[str]) -> Iterator[None]:
    """Within the current transaction, let DELETE remove rows of ``tables`` (for disposal only)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a deletion permit lives inside the disposing transaction only")
    with default_connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"INSERT INTO {PERMIT_TABLE} (table_name) VALUES (%s)", [table])  # noqa: S608
    try:
        yield
    finally:
        with default_connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {PERMIT_TABLE}")  # noqa: S608


def protected_tables(connection: BaseDatabaseWrapper) -> list[str]:
    """The tables that carry the triggers :func:`protect` installs, read from the database itself."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE %s AND pg_table_is_visible(c.oid) ORDER BY c.relname",
                [r"%\_append\_only"],
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s "
                "ESCAPE '\\' ORDER BY tbl_name",
                [r"%\_no\_delete"],
            )
        else:
            raise NotImplementedError(f"No append-only triggers for {connection.vendor}")
        return [name for (name,) in cursor.fetchall()]
