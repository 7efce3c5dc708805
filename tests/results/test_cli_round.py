"""An operator takes a round from nothing to its results list with the commands alone (formats.md),
and the CSV is checked row by row against outcomes worked out by hand from rules.md."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.support.pg import using_postgres

ROOT = Path(__file__).resolve().parents[2]

POSITIONS = """code,name,agency,grade,quota,round2_form,degree_level,majors
TC,Chuyên viên tài chính,Sở Tài chính,chuyen_vien,2,written_interview,dai_hoc,Tài chính
VT,Cán sự văn thư,UBND quận Hồng Bàng,can_su,1,written,cao_dang,
KH,Chuyên viên chính kế hoạch,Sở Kế hoạch và Đầu tư,chuyen_vien_chinh,1,written,thac_si,
"""
# Numbers follow A3: position code (KH, TC, VT), then the given name.
APPLICATIONS = [  # national_id, full_name, born, position, degree, major, priority, exempt from language (vn-2020)
    ("031000000001", "Lê Văn An", "01/01/1980", "KH", "thac_si", "Kinh tế", "ethnic_minority;military_service", "yes"),
    ("031000000002", "Trần Thị Bình", "02/02/1982", "KH", "thac_si", "Kinh tế", "", "yes"),
    ("031000000003", "Nguyễn Văn Cường", "03/03/1995", "TC", "dai_hoc", "Tài chính", "military_service", "yes"),
    ("031000000004", "Phạm Thị Dung", "04/04/1996", "TC", "dai_hoc", "Tài chính", "", "yes"),
    ("031000000005", "Hoàng Văn Giang", "05/05/1994", "TC", "dai_hoc", "Tài chính", "", "no"),
    ("031000000006", "Vũ Thị Hà", "06/06/1997", "TC", "dai_hoc", "Tài chính", "", "yes"),
    ("031000000007", "Đỗ Văn Khoa", "07/07/1993", "TC", "dai_hoc", "Tài chính", "", "yes"),
    ("031000000008", "Lý Thị Oanh", "08/08/1998", "TC", "thac_si", "Tài chính", "", "yes"),
    ("031000000009", "Bùi Thị Lan", "09/09/1999", "VT", "cao_dang", "Văn thư", "union_cadre", "yes"),
    ("031000000010", "Ngô Văn Minh", "10/10/2000", "VT", "dai_hoc", "Luật", "", "yes"),
    ("031000000011", "Đặng Thị Ngọc", "11/11/2009", "VT", "cao_dang", "Văn thư", "", "yes"),  # 16: rejected (A2)
]
ROUND1 = """so_bao_danh,phan_thi,correct,total,absent,sanction
3,general,45,60,no,
4,general,31,60,no,reprimand
5,general,40,60,no,
6,general,,,yes,
7,general,50,60,no,
8,general,42,60,no,
9,general,36,60,no,
10,general,29,60,no,
5,language,14,30,no,
"""
# A paper written test names its two markers (C3; docs/marking.md): the marks, and the final mark they give.
WRITTEN = ("candidate_number;score;absent;first_marker;first_mark;second_marker;second_mark\n"
           "1;70;no;gk1;68;gk2;72\n2;48;no;gk1;48;gk2;48\n3;80;no;gk2;80;gk1;80\n5;75;no;gk1;74;gk2;76\n"
           "7;90;no;gk1;90;gk2;90\n8;60;no;gk2;61;gk1;59\n9;66;no;gk1;65;gk2;67\n")
INTERVIEW = """candidate_number,interviewer,score,absent
3,interviewer,70,no
3,interviewer2,74,no
5,interviewer,85,no
5,interviewer2,83,no
7,interviewer,45,no
7,interviewer2,47,no
8,interviewer,62,no
8,interviewer2,65,no
"""
COLUMNS = ["position_code", "rank", "candidate_number", "round1", "round2_written", "round2_interview", "round2_score",
           "priority_points", "total", "status"]

EXPECTED_2025 = [  # worked out by hand from rules.md
    ("KH", "1", "1", "not_required", "70.00", "", "70.00", "5.00", "75.00", "selected"),  # D5: highest only
    ("KH", "", "2", "not_required", "48.00", "", "48.00", "", "", "failed_round2"),  # E1: below 50
    ("TC", "1", "3", "pass", "80.00", "72.00", "77.60", "2.50", "80.10", "selected"),  # C5: 0.7*80 + 0.3*72
    ("TC", "2", "5", "pass", "75.00", "84.00", "77.70", "0.00", "77.70", "selected"),
    ("TC", "3", "8", "pass", "60.00", "63.50", "61.05", "0.00", "61.05", "not_selected"),  # C6: 42 + 19.05
    ("TC", "", "4", "fail", "", "", "", "", "", "failed_round1"),  # B6: 31 x 0.75 = 23.25 < 30
    ("TC", "", "6", "absent", "", "", "", "", "", "absent"),
    ("TC", "", "7", "pass", "90.00", "46.00", "76.80", "", "", "failed_round2"),  # C5: interview below 50
    ("VT", "1", "9", "pass", "66.00", "", "66.00", "1.50", "67.50", "selected"),  # D4
    ("VT", "", "10", "fail", "", "", "", "", "", "failed_round1"),  # B2: 29 < 30
]
EXPECTED_2020 = [
    ("KH", "1", "1", "not_required", "70.00", "", "70.00", "5.00", "75.00", "selected"),
    ("KH", "", "2", "not_required", "48.00", "", "48.00", "", "", "failed_round2"),
    ("TC", "1", "3", "pass", "80.00", "72.00", "77.60", "2.50", "80.10", "selected"),
    ("TC", "2", "8", "pass", "60.00", "63.50", "61.05", "0.00", "61.05", "selected"),
    ("TC", "", "4", "fail", "", "", "", "", "", "failed_round1"),
    ("TC", "", "5", "fail", "", "", "", "", "", "failed_round1"),  # L1: language 14/30 below 15
    ("TC", "", "6", "absent", "", "", "", "", "", "absent"),
    ("TC", "", "7", "pass", "90.00", "46.00", "76.80", "", "", "failed_round2"),
    ("VT", "1", "9", "pass", "66.00", "", "66.00", "0.00", "66.00", "selected"),  # L3: union_cadre gives 0
    ("VT", "", "10", "fail", "", "", "", "", "", "failed_round1"),
]
# After the fraud of candidate 3 (F3), the next-ranked eligible candidate of TC is promoted (F4).
EXPECTED_2025_V2_TC = [
    ("TC", "1", "5", "pass", "75.00", "84.00", "77.70", "0.00", "77.70", "selected"),
    ("TC", "2", "8", "pass", "60.00", "63.50", "61.05", "0.00", "61.05", "selected"),
    ("TC", "", "3", "pass", "80.00", "72.00", "77.60", "2.50", "80.10", "cancelled"),
]


@pytest.fixture
def operator(tmp_path, request):
    if using_postgres():
        from tests.support.pg import PostgresServer

        server = PostgresServer.__new__(PostgresServer)
        server.port = int(os.environ["TEST_PG_URL"].rsplit(":", 1)[1].split("/")[0])
        worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
        url = server.create_database(f"cli_{worker}")
    else:
        url = f"sqlite:///{tmp_path / 'round.sqlite'}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "cli-test", "AUDIT_KEY": "cli-test"}

    def run(*args: str, expect: int = 0) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == expect, f"{args}: {done.stdout}\n{done.stderr}"
        return done

    return run


def _files(tmp_path: Path, rules: str) -> dict[str, Path]:
    files = {"positions.csv": POSITIONS, "round1.csv": ROUND1, "written.csv": WRITTEN, "interview.csv": INTERVIEW}
    lines = ["so_cccd,ho_ten,ngay_sinh,gioi_tinh,ma_vi_tri,trinh_do,chuyen_nganh,uu_tien,mien_ngoai_ngu"]
    lines += [f"{n},{name},{born},nam,{pos},{degree},{major},{prio},{exempt}"
              for n, name, born, pos, degree, major, prio, exempt in APPLICATIONS]
    files["applications.csv"] = "\n".join(lines) + "\n"
    paths = {}
    for name, content in files.items():
        if rules == "vn-2025" and name == "round1.csv":
            content = "\n".join(line for line in content.splitlines() if ",language," not in line) + "\n"
        if rules == "vn-2020" and name in ("written.csv", "interview.csv"):  # L1: candidate 5 failed the language
            # part: no written test, no interview (a file that scores them is refused)
            content = "\n".join(line for line in content.splitlines() if not line.startswith(("5;", "5,"))) + "\n"
        paths[name] = tmp_path / name
        paths[name].write_text(content, encoding="utf-8")
    return paths


def _extend(operator) -> None:
    """A2 counts ages on the deadline of 01/10/2026, which is past: HR records an extension."""
    until = f"{date.today() + timedelta(days=7):%d/%m/%Y}"
    operator("round", "extend", "E2E", "--until", until, "--reason", "Hồ sơ gửi qua bưu điện đến sau hạn")


def _rows(path: Path) -> list[tuple]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [tuple(r[c] for c in COLUMNS) for r in csv.DictReader(f)]


@pytest.mark.slow
@pytest.mark.parametrize("rules, expected", [("vn-2025", EXPECTED_2025), ("vn-2020", EXPECTED_2020)])
def test_a_round_from_the_command_line(operator, tmp_path, rules, expected):
    files = _files(tmp_path, rules)
    operator("db", "upgrade")
    operator("round", "create", "E2E", "--name", "Thi tuyển kiểm thử", "--rules", rules, "--deadline", "01/10/2026")
    _extend(operator)
    operator("positions", "import", "--round", "E2E", str(files["positions.csv"]))
    imported = operator("applications", "import", "--round", "E2E", str(files["applications.csv"]))
    assert "Đặng Thị Ngọc" in imported.stdout  # imported as rejected (A2), reported
    for marker in ("gk1", "gk2"):
        operator("users", "create", marker, "--name", f"Cán bộ chấm {marker}", "--role", "marker")
    for interviewer in ("interviewer", "interviewer2"):  # the interview file names its interviewers (C4)
        operator("users", "create", interviewer, "--name", f"Người phỏng vấn {interviewer}", "--role", "interviewer")
    for kind in ("round1", "written", "interview"):
        operator("scores", "import", "--round", "E2E", "--kind", kind, str(files[f"{kind}.csv"]))
    operator("results", "compute", "--round", "E2E")
    out = tmp_path / "results.csv"
    operator("results", "export", "--round", "E2E", "--format", "csv", "--output", str(out))
    assert _rows(out) == expected
    with open(out, encoding="utf-8-sig") as f:
        header = f.readline().strip()
    assert header == ("position_code,rank,candidate_number,national_id,full_name,round1,round2_written,round2_interview,"
                      "round2_score,priority_points,total,status,reason")
    if rules != "vn-2025":
        return
    operator("results", "publish", "--round", "E2E")
    outcomes = tmp_path / "verification.csv"
    outcomes.write_text("candidate_number,outcome,reason\n1,verified,\n3,fraud,Bằng đại học không có trong sổ gốc\n"
                        "9,verified,\n", encoding="utf-8")
    operator("verification", "import", "--round", "E2E", str(outcomes))
    v2 = tmp_path / "v2.csv"
    operator("results", "export", "--round", "E2E", "--format", "csv", "--output", str(v2), "--version", "2")
    assert [r for r in _rows(v2) if r[0] == "TC"][:3] == EXPECTED_2025_V2_TC
    with open(v2, encoding="utf-8-sig") as f:
        cancelled = next(r for r in csv.DictReader(f) if r["candidate_number"] == "3")
    assert "Bằng đại học không có trong sổ gốc" in cancelled["reason"]
    v1 = tmp_path / "v1.csv"
    operator("results", "export", "--round", "E2E", "--format", "csv", "--output", str(v1), "--version", "1")
    assert _rows(v1) == expected  # E5: the published version 1 is never rewritten


def test_a_bad_scores_file_exits_2_and_names_the_row(operator, tmp_path):
    files = _files(tmp_path, "vn-2025")
    operator("db", "upgrade")
    operator("round", "create", "E2E", "--name", "x", "--deadline", "01/10/2026")
    _extend(operator)
    operator("positions", "import", "--round", "E2E", str(files["positions.csv"]))
    operator("applications", "import", "--round", "E2E", str(files["applications.csv"]))
    bad = tmp_path / "bad.csv"
    bad.write_text("candidate_number,score,absent\n1,70,no\n99,50,no\n2,101,no\n", encoding="utf-8")
    done = operator("scores", "import", "--round", "E2E", "--kind", "written", "--lang", "en", str(bad), expect=2)
    assert "row 3, column candidate_number" in done.stderr and "row 4, column score" in done.stderr
    # A final mark without its markers is refused (C3; docs/marking.md), and the help says so.
    assert "row 2, column first_marker" in done.stderr and "C3" in done.stderr
    assert "first_marker" in operator("scores", "import", "--help").stdout
