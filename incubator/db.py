"""What the apps' models and migrations need to index the same way on PostgreSQL and SQLite.

Production runs on PostgreSQL, a local run and the fast tests on SQLite: an index that only
PostgreSQL can build (a trigram GIN index) is made by a migration operation that does
nothing elsewhere, and an index order that SQLite cannot spell is spelled for it.
"""

from django.db import migrations, models
from django.db.models import IntegerField, OrderBy, Subquery


class RunSQLOnPostgres(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL only, leaving the model state alone.

    For indexes with PostgreSQL's own operator classes (`gin_trgm_ops`): kept out of the
    models' Meta, so that SQLite never builds them, not even when it rebuilds a table.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_index(name: str, table: str, expression: str) -> RunSQLOnPostgres:
    """Return the operation that builds a trigram GIN index of `expression` on PostgreSQL.

    Django's `icontains` is `UPPER(column::text) LIKE UPPER(%s)`: index `UPPER(column)` and
    the planner can serve it (pg_trgm, `TrigramExtension`, must come first).
    """
    return RunSQLOnPostgres(
        sql=f"CREATE INDEX {name} ON {table} USING gin (({expression}) gin_trgm_ops)",
        reverse_sql=f"DROP INDEX IF EXISTS {name}",
    )


class PortableIndex(models.Index):
    """An index whose columns may say NULLS FIRST / LAST, built without it on SQLite.

    PostgreSQL serves `ORDER BY score DESC NULLS LAST` only from an index in that order;
    SQLite's CREATE INDEX refuses a NULLS clause, and sorts NULL below every value anyway
    (so its DESC already ends with them).
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = self.clone()
        plain.expressions = tuple(
            OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e
            for e in self.expressions
        )
        return models.Index.create_sql(plain, model, schema_editor, using=using, **kwargs)


class SubqueryCount(Subquery):
    """The number of rows of a queryset correlated with `OuterRef`, as an expression.

    For a list's sort key: evaluated only when the list is sorted by it, where an annotated
    `Count` joins and groups the whole table for every page, its count and its dates.
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)
