"""Real import files for the hub's importers: the columns of formats.md, two positions, one
application row, written as .xlsx or .csv."""
from __future__ import annotations

from pathlib import Path

from recruitment import tabular
from recruitment.importing import APPLICATION_COLUMNS, POSITION_COLUMNS

POSITION_HEADERS = [c.name for c in POSITION_COLUMNS]
APPLICATION_HEADERS = [c.name for c in APPLICATION_COLUMNS]
POSITIONS = [
    ["TC-01", "Chuyên viên ngân sách", "Sở Tài chính", "chuyen_vien", 2, "written_interview", "dai_hoc", "Tài chính; Kế toán"],
    ["VT-02", "Cán sự văn thư", "UBND quận Ngô Quyền", "can_su", 1, "written", "cao_dang", ""],
]


def application_row(nid: str, name: str, born: str = "01/02/1995", position: str = "TC-01", degree: str = "dai_hoc",
                    major: str = "Tài chính", priority: str = "") -> list:
    return [nid, name, born, "nam", "", "", position, degree, major, priority, "no"]


def write_xlsx(path: Path, headers: list[str], rows: list[list]) -> Path:
    path.write_bytes(tabular.xlsx_bytes([("data", headers, rows)]))
    return path


def write_csv(path: Path, headers: list[str], rows: list[list], delimiter: str = ",", bom: bool = True) -> Path:
    lines = [delimiter.join(headers)] + [delimiter.join(str(v) for v in r) for r in rows]
    path.write_bytes((("\ufeff" if bom else "") + "\n".join(lines) + "\n").encode())
    return path
