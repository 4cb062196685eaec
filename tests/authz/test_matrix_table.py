"""The table and the project's URLs match: a new page cannot ship without its rule."""

from tests.authz import matrix


def test_every_url_pattern_has_its_rows_and_every_row_its_url():
    errors = matrix.completeness_errors(matrix.read_table(), matrix.project_rows())
    assert not errors, "\n".join(errors)


def test_a_url_without_its_row_and_a_row_without_its_url_are_named(tmp_path):
    # A complete table, then one page's rows left out and one row of a page that is gone.
    statuses = "  ".join(["404"] * len(matrix.ROLES))
    lines = ["url  method  " + "  ".join(matrix.ROLES)]
    lines += [
        f"{row.url}  {row.method}  {statuses}"
        for row in matrix.project_rows()
        if row.url != "programs:fund"
    ]
    lines.append(f"programs:gone  GET  {statuses}")
    table = tmp_path / "matrix.txt"
    table.write_text("\n".join(lines))
    errors = matrix.completeness_errors(matrix.read_table(table), matrix.project_rows())
    assert errors == [
        "programs:fund GET: no rule for this URL; add a row to tests/authz/matrix.txt",
        "programs:fund POST: no rule for this URL; add a row to tests/authz/matrix.txt",
        "programs:gone GET: no such URL (or method) any more; remove its row from "
        "tests/authz/matrix.txt",
    ]
