"""Fast bulk writes for load-test corpora: PostgreSQL COPY, plain executemany elsewhere.

Rows are dicts of attribute names (``story_id``, ``headline``…); any concrete field a row does
not give gets the model field's default, so a column added to a model later still gets a value.
Parents get their ids up front (``allocate_ids``) so children can point at them without a
round trip per row; children leave ``id`` to the database.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def allocate_ids(model: type[Model], count: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')
        start = cursor.fetchone()[0]
    return list(range(start + 1, start + count + 1))


def write_rows(model: type[Model], rows: list[dict], with_id: bool = False) -> None:
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
    defaults = {}
    for field in fields:
        if field.attname not in rows[0]:
            defaults[field.attname] = field.get_db_prep_save(field.get_default(), connection)
    table = model._meta.db_table
    columns = ", ".join(f'"{f.column}"' for f in fields)
    names = [field.attname for field in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg adapts the plain Python values (str, int, bool, date, datetime) itself.
            with cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([row[n] if n in row else defaults[n] for n in names])
        else:
            prepared = [
                tuple(
                    field.get_db_prep_save(row[field.attname], connection)
                    if field.attname in row
                    else defaults[field.attname]
                    for field in fields
                )
                for row in rows
            ]
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', prepared)
