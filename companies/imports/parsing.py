"""Read a partner's spreadsheet (XLSX or CSV) into rows keyed by the portal's field names.

Headers are recognised in Korean, Chinese and English ("회사명", "公司名称", "Company name"),
whatever their spacing, case or full-width forms. Nothing here touches the database.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from incubator import uploads

COMPANIES, LEADS = "companies", "leads"
MAX_ROWS = 2000

# Field -> headers that mean it (first: the template's header in ko, zh, en).
HEADERS = {
    COMPANIES: {
        "name": ("회사명", "公司名称", "Company name", "기업명", "企业名称", "name"),
        "name_ko": ("회사명(한국어)", "公司名称(韩文)", "Name (Korean)", "국문명", "韩文名称"),
        "name_zh": ("회사명(중국어)", "公司名称(中文)", "Name (Chinese)", "중문명", "中文名称"),
        "name_en": ("회사명(영어)", "公司名称(英文)", "Name (English)", "영문명", "英文名称"),
        "brn": (
            "사업자등록번호",
            "营业登记号",
            "Business registration number",
            "사업자번호",
            "BRN",
            "韩国营业登记号",
        ),
        "founded_on": ("설립일", "成立日期", "Founding date", "설립일자", "成立时间", "Founded"),
        "sector": ("분야", "行业", "Sector", "업종", "领域"),
        "city": ("소재지", "城市", "City", "도시", "所在城市", "Head-office city"),
        "employees": ("직원 수", "员工人数", "Employees", "종업원 수", "员工数"),
        "website": ("홈페이지", "网站", "Website", "웹사이트", "网址"),
    },
    LEADS: {
        "company_name": ("회사명", "公司名称", "Company name", "기업명", "企业名称"),
        "contact_name": ("담당자", "联系人", "Contact person", "대표자", "Contact name"),
        "contact_email": ("이메일", "电子邮件", "E-mail", "Email", "邮箱", "Contact e-mail"),
        "next_step": ("다음 단계", "下一步", "Next step"),
        "notes": ("비고", "备注", "Notes", "메모"),
    },
}
LANGUAGE_INDEX = {"ko": 0, "zh-hans": 1, "en": 2}


def header_key(text) -> str:
    """Return a header as compared: NFKC (full-width folded), lower case, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")).lower())


def field_of_header(kind: str) -> dict[str, str]:
    return {header_key(h): field for field, names in HEADERS[kind].items() for h in names}


def template_headers(kind: str, language: str) -> list[str]:
    index = LANGUAGE_INDEX.get(language, 2)
    return [names[index] for field, names in HEADERS[kind].items() if field != "name"]


def _cell(value):
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value).strip()
    return value


def _filled(rows) -> list[tuple[int, list]]:
    """Return (spreadsheet row number, cells) of the rows with a value, MAX_ROWS + 2 at most.

    Blank rows do not count towards the limit (a sheet formatted far down has many).
    """
    filled = []
    for number, row in enumerate(rows, start=1):
        cells = [_cell(value) for value in row]
        if any(value not in (None, "") for value in cells):
            filled.append((number, cells))
            if len(filled) > MAX_ROWS + 1:
                break
    return filled


def _read_xlsx(content: bytes) -> list[tuple[int, list]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        return _filled(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def _decode(content: bytes, kind: str) -> str:
    """Return the text; of the encodings that decode it, the first whose headers are known.

    Korean partners' Excel saves CSV in CP949, Chinese ones' in GB18030, and either decodes
    the other's bytes into nonsense without an error.
    """
    texts = []
    for encoding in ("utf-8-sig", "cp949", "gb18030"):
        try:
            texts.append(content.decode(encoding))
        except UnicodeDecodeError:
            continue
    if not texts:
        raise ValidationError(_("The CSV file is not in UTF-8, CP949 or GB18030 text."))
    known = field_of_header(kind)
    for text in texts:
        first_line = text.split("\n", 1)[0]
        if any(header_key(h.strip("\"'")) in known for h in re.split(r"[,;\t]", first_line)):
            return text
    return texts[0]


def _read_csv(content: bytes, kind: str) -> list[tuple[int, list]]:
    text = _decode(content, kind)
    if "\x00" in text:
        raise ValidationError(_("This file is not a CSV or XLSX spreadsheet."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return _filled(csv.reader(io.StringIO(text), dialect))


def file_format(content: bytes) -> str:
    """Return "xlsx" or "csv" from the content (never the name)."""
    if content.startswith(b"PK\x03\x04"):
        if uploads.sniff(content[:16], lambda: content) == uploads.XLSX:
            return "xlsx"
        raise ValidationError(_("This file is not a CSV or XLSX spreadsheet."))
    return "csv"


def read_rows(content: bytes, kind: str) -> list[dict]:
    """Return the data rows as {field: value, "_row": spreadsheet row number}."""
    try:
        table = _read_xlsx(content) if file_format(content) == "xlsx" else _read_csv(content, kind)
    except (
        OSError,
        KeyError,
        ValueError,
        TypeError,
        SyntaxError,  # a broken sheet's XML
        csv.Error,
        zipfile.BadZipFile,
        openpyxl.utils.exceptions.InvalidFileException,
    ):
        raise ValidationError(
            _("This spreadsheet cannot be read; save it again as XLSX or CSV.")
        ) from None
    if not table:
        raise ValidationError(_("The spreadsheet is empty."))
    known = field_of_header(kind)
    columns = {index: known.get(header_key(h)) for index, h in enumerate(table[0][1])}
    if not any(columns.values()):
        raise ValidationError(
            _("No column header was recognised; download the template to see them.")
        )
    rows = []
    for number, values in table[1:]:
        row = {"_row": number}
        for index, value in enumerate(values):
            field = columns.get(index)
            if field and value not in (None, ""):
                row[field] = value
        if len(row) > 1:
            rows.append(row)
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("The spreadsheet has more than %(max)d rows; split it into smaller files.")
            % {"max": MAX_ROWS}
        )
    if not rows:
        raise ValidationError(_("The spreadsheet has no data rows."))
    return rows


DATE_PATTERN = re.compile(r"^(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*[일日]?$")


def parse_date(value) -> dt.date | None:
    """Return a date from an Excel date or text like 2018-03-01, 2018.3.1, 2018년 3월 1일."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).replace("年", "-").replace("月", "-").strip()
    match = DATE_PATTERN.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def name_language(text: str) -> str:
    """Return "ko" for a name with Hangul, "zh" for Chinese characters, else "en"."""
    if re.search(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]", text):
        return "ko"
    if re.search(r"[\u4e00-\u9fff]", text):
        return "zh"
    return "en"


def template_headers_for(kind: str, field: str, language: str) -> str:
    return HEADERS[kind][field][LANGUAGE_INDEX.get(language, 2)]
