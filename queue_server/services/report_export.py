"""A report as CSV (UTF-8 with BOM, so that spreadsheet programs on Chinese Windows read it) or XLSX:
the same header and cells from one table."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from ..domain.cases import STATE_ZH


def table(rep: dict[str, Any]) -> list[list[Any]]:
    """Header, one row per group, the total: the cells both formats write."""
    cols = rep["columns"]
    head = [rep["by_zh"]] + [
        f"{c['zh']}{'（%）' if c['unit'] == '%' else '（分钟）' if c['unit'] == 'min' else ''}" for c in cols
    ]
    rows = [[r["label"]] + [r["figures"][c["key"]] for c in cols] for r in rep["rows"]]
    total = ["合计"] + [rep["total"][c["key"]] for c in cols]
    return [head, *rows, total]


def cases_table(rep: dict[str, Any]) -> list[list[Any]]:
    return (
        [["整改状态", "件数"]]
        + [[STATE_ZH[k], v] for k, v in rep["cases"].items() if k in STATE_ZH]
        + [["已超期", rep["cases"]["overdue"]]]
    )


def alerts_table(rep: dict[str, Any]) -> list[list[Any]]:
    return [["告警类型", "次数"]] + [[rep["alert_labels"][k], v] for k, v in rep["alerts"].items()]


def to_csv(rep: dict[str, Any]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([f"{rep['hall_name']} 统计报表", f"{rep['from']} 至 {rep['to']}"])
    for row in table(rep):
        w.writerow(["" if v is None else v for v in row])
    w.writerow([])
    for row in cases_table(rep):
        w.writerow(row)
    w.writerow([])
    for row in alerts_table(rep):
        w.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rep: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "报表"
    ws.append([f"{rep['hall_name']} 统计报表", f"{rep['from']} 至 {rep['to']}"])
    for row in table(rep):
        ws.append(row)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 36
    cases = wb.create_sheet("整改")
    for row in cases_table(rep):
        cases.append(row)
    sheet = wb.create_sheet("告警")
    for row in alerts_table(rep):
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
