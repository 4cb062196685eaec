"""Where a secret would be found if it were stored: every text column of every table."""

from django.apps import apps
from django.db import connection, models


def columns_holding(text: str) -> list[str]:
    """Return the "table.column" of every text column (char, text, JSON) holding `text`."""
    hits = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                    continue
                table, column = model._meta.db_table, field.column
                cast = f"CAST({connection.ops.quote_name(column)} AS TEXT)"
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} WHERE {cast} LIKE %s",
                    [f"%{text}%"],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column}")
    return hits
