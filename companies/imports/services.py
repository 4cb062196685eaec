"""The bulk import of companies and leads: a preview that saves nothing, then the confirm.

Each valid row is saved by the companies services (`company_add`, `lead_save`, with their
audit records), all rows in one transaction; the confirm checks every row again, since the
database may have changed since the preview.
"""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import override

from companies import policies, services, validators
from companies.imports.parsing import COMPANIES, LEADS, name_language, parse_date
from companies.models import Company, Lead, Sector
from incubator.audit import audit_record


@dataclass
class PreviewRow:
    number: int
    values: dict
    errors: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)  # what the service receives

    @property
    def valid(self) -> bool:
        return not self.errors


def _sector_codes() -> dict[str, str]:
    """Return every name of a sector (code, and its label in ko, zh-hans, en) -> code."""
    names = {"ai": "ai", "인공지능": "ai", "人工智能": "ai"}
    for code, label in Sector.choices:
        names[code] = code
        for language in ("ko", "zh-hans", "en"):
            with override(language):
                names[str(label).casefold()] = code
    return names


def _text(row: dict, name: str) -> str:
    # Never cut to the column's length: a value too long is the row's error (_model_errors),
    # not something saved shorter than the file says.
    return str(row.get(name, "")).strip()


def _model_errors(row, errors: list, **clean) -> None:
    """Add the model's own refusals of `row` (a value longer than its column...) to `errors`,
    each said of its field."""
    try:
        row.full_clean(**clean)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name == NON_FIELD_ERRORS:
                errors.extend(messages)
            else:
                label = capfirst(row._meta.get_field(name).verbose_name)
                errors.extend(f"{label}: {message}" for message in messages)


def _company_fields(row: dict, errors: list, sectors: dict) -> dict:
    fields = {f"name_{suffix}": _text(row, f"name_{suffix}") for suffix in ("ko", "zh", "en")}
    if row.get("name"):
        name = _text(row, "name")
        fields[f"name_{name_language(name)}"] = fields[f"name_{name_language(name)}"] or name
    if not any(fields.values()):
        errors.append(_("The company name is missing."))
    if not row.get("brn"):
        errors.append(_("The business registration number is missing."))
    else:
        try:
            validators.validate_brn(row["brn"])
            fields["brn"] = validators.brn_compact(row["brn"])
        except ValidationError as error:
            errors.extend(error.messages)
    sector = str(row.get("sector", "")).strip()
    if not sector:
        errors.append(_("The sector is missing."))
    elif sector.casefold() not in sectors:
        errors.append(
            _("Unknown sector “%(sector)s”; use one of: %(sectors)s.")
            % {"sector": sector, "sectors": ", ".join(str(label) for _c, label in Sector.choices)}
        )
    else:
        fields["sector"] = sectors[sector.casefold()]
    founded = parse_date(row["founded_on"]) if row.get("founded_on") else None
    if founded is None:
        errors.append(_("The founding date is missing or not a date like 2018-03-01."))
    else:
        fields["founded_on"] = founded
    employees = row.get("employees")
    if employees not in (None, ""):
        try:
            fields["employees"] = int(str(employees).replace(",", "").split(".")[0])
            if fields["employees"] < 0:
                raise ValueError
        except ValueError:
            errors.append(_("The number of employees is not a whole number."))
    fields["city"] = _text(row, "city")
    website = _text(row, "website")
    if website and "://" not in website:
        website = "https://" + website
    fields["website"] = website
    if not errors:
        _model_errors(Company(**fields), errors, validate_unique=False, validate_constraints=False)
    return fields


def _lead_fields(row: dict, errors: list, source: str) -> dict:
    fields = {
        "company_name": _text(row, "company_name"),
        "contact_name": _text(row, "contact_name"),
        "contact_email": _text(row, "contact_email").lower(),
        "next_step": _text(row, "next_step"),
        "notes": str(row.get("notes", "")).strip(),
        "source": source,
    }
    said = set()  # the fields refused above, not refused twice by the model
    if not fields["company_name"]:
        errors.append(_("The company name is missing."))
        said.add("company_name")
    if fields["contact_email"]:
        try:
            EmailValidator()(fields["contact_email"])
        except ValidationError:
            errors.append(
                _("“%(email)s” is not an e-mail address.") % {"email": fields["contact_email"]}
            )
            said.add("contact_email")
    _model_errors(
        Lead(**fields), errors, exclude=said, validate_unique=False, validate_constraints=False
    )
    return fields


def import_preview(*, kind: str, rows: list[dict], source: str = Lead.Source.ASSOCIATION):
    """Return a PreviewRow for each row, with its errors in the active language."""
    preview, seen = [], {}
    sectors = _sector_codes()
    for row in rows:
        errors: list = []
        values = {key: value for key, value in row.items() if key != "_row"}
        if kind == COMPANIES:
            fields = _company_fields(row, errors, sectors)
            keys = [fields.get("brn")]
        else:
            fields = _lead_fields(row, errors, source)
            keys = [fields["company_name"].casefold(), fields["contact_email"]]
        for key in filter(None, keys):
            if key in seen:
                errors.append(_("The same company as row %(row)d.") % {"row": seen[key]})
                break
        for key in filter(None, keys):
            seen.setdefault(key, row["_row"])
        preview.append(PreviewRow(row["_row"], values, errors, fields))
    _mark_existing(kind, preview)
    return preview


def _mark_existing(kind: str, preview: list[PreviewRow]) -> None:
    """Add an error to each row whose company is already in the database (two queries)."""
    if kind == COMPANIES:
        brns = {row.fields["brn"] for row in preview if row.fields.get("brn")}
        existing = set(Company.objects.filter(brn__in=brns).values_list("brn", flat=True))
        for row in preview:
            if row.fields.get("brn") in existing:
                row.errors.append(_("A company with this business registration number exists."))
        return
    names = {row.fields["company_name"].casefold() for row in preview}
    emails = {row.fields["contact_email"] for row in preview if row.fields["contact_email"]}
    taken_names = set(
        Lead.objects.annotate(key=Lower("company_name"))
        .filter(key__in=names)
        .values_list("key", flat=True)
    )
    taken_emails = set(
        Lead.objects.annotate(key=Lower("contact_email"))
        .filter(key__in=emails)
        .values_list("key", flat=True)
    )
    for row in preview:
        if (
            row.fields["company_name"].casefold() in taken_names
            or row.fields["contact_email"] in taken_emails
        ):
            row.errors.append(_("A lead for this company exists already."))


def import_confirm(
    *, actor, kind: str, rows: list[dict], file_format: str, source=Lead.Source.ASSOCIATION
):
    """Save the valid rows, all or none; return (saved, skipped)."""
    if not policies.can_import(actor, kind):
        raise PermissionDenied
    preview = import_preview(kind=kind, rows=rows, source=source)
    valid = [row for row in preview if row.valid]
    if not valid:
        raise ValidationError(_("No row can be imported."))
    with transaction.atomic():
        for row in valid:
            try:
                if kind == COMPANIES:
                    services.company_add(company=Company(**row.fields), actor=actor)
                else:
                    services.lead_save(
                        lead=Lead(owner=actor, **row.fields),
                        actor=actor,
                        changed_fields=[name for name, value in row.fields.items() if value],
                    )
            except ValidationError as error:
                raise ValidationError(
                    _("Row %(row)d: %(error)s")
                    % {"row": row.number, "error": " ".join(error.messages)}
                ) from None
        audit_record(
            actor=actor,
            verb=f"{kind}.import",
            changes={
                "format": file_format,
                "saved": len(valid),
                "skipped": len(preview) - len(valid),
                **({"source": source} if kind == LEADS else {}),
            },
        )
    return len(valid), len(preview) - len(valid)
