"""Database triggers that make a table append-only, on SQLite and on PostgreSQL.

Migrations call :func:`protect` for the audit log (and, later, the archive). Only tests call
:func:`unprotect`: to tamper on purpose, and to let a transactional test empty the database.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION sigill_refuse_change() RETURNS trigger AS $$
BEGIN
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
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {qn(f'{table}_no_{op.lower()}')} BEFORE {op} ON {qn(table)} "
                    f"BEGIN SELECT RAISE(ABORT, 'sigill: {op} on {table} is refused: the table is append-only'); END"
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
