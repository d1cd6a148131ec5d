"""Reading CSV files people save from Excel: the encoding, binary files, and rows that break CSV."""

from __future__ import annotations

import codecs
import csv
import io

from knowledge.models import UserError

__all__ = ["SAVE_AS_CSV", "csv_rows", "decode_csv"]

SAVE_AS_CSV = "Open it in Excel and save it again as “CSV UTF-8 (Comma delimited)”."


def decode_csv(raw: bytes, name: str) -> str:
    """The text of a CSV file: UTF-8, Excel's UTF-16 "Unicode Text" or Windows-1252; UserError if binary."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace")
    if raw.startswith(b"PK\x03\x04"):
        raise UserError(
            f"{name} is an Excel workbook, not a CSV file: rename it to .xlsx, or {SAVE_AS_CSV[0].lower()}{SAVE_AS_CSV[1:]}"
        )
    if b"\x00" in raw[:8000]:  # as git and grep tell a binary file
        raise UserError(f"{name} is not a CSV file: it holds binary data. {SAVE_AS_CSV}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows


def csv_rows(text: str, name: str, dialect: type[csv.Dialect] | csv.Dialect | str = "excel",
             *, what: str = "file", delimiter: str | None = None) -> list[list[str]]:  # fmt: skip
    """The rows of a CSV; a UserError naming the row for a line break out of quotes or a huge cell.

    ``delimiter``, if given, overrides the dialect's.
    """
    rows: list[list[str]] = []
    lines = io.StringIO(text)
    try:
        reader = (
            csv.reader(lines, dialect)
            if delimiter is None
            else csv.reader(lines, dialect, delimiter=delimiter)
        )
        for row in reader:
            rows.append(row)
    except csv.Error as exc:  # a lone carriage return in a cell, a cell too long...
        n = len(rows) + 1
        if "field larger" in str(exc):
            raise UserError(f"{name}: row {n} has a cell longer than {csv.field_size_limit():,} characters, "
                            f"which no {what} needs. Check it is the right file, or shorten that cell.") from None  # fmt: skip
        why = (
            "has a line break inside a cell that is not in quotes"
            if "new-line" in str(exc)
            else f"is not CSV ({exc})"
        )
        raise UserError(f"{name}: row {n} {why}. {SAVE_AS_CSV}") from None
    return rows
