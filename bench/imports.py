"""Importing big files: 100,000 applications and 100,000 questions, both .xlsx (as HR and the board
send them) or both .csv.

    python -m bench.imports [--rows N] [--format xlsx|csv]

Writes the files into a temporary directory, then runs each import in a fresh Python process on a
fresh SQLite database (a round with 20 positions), so that the peak memory measured (VmHWM of
that process) is the import's own, interpreter and application included. Aims (issue "Files in and
out"): each import under 20 s and under 300 MB on a 2-core machine.
Wall time grows with whatever else runs on the machine; the CPU time (user + system) of the import
does much less, so both are reported: *_cpu_s is the import's own, *_process_cpu_s the whole child
process's (interpreter start-up, application and database set-up included).
The last line is one JSON object: applications_100k_s, applications_cpu_s, applications_process_cpu_s,
peak_mb (the applications import's), questions_100k_s, questions_cpu_s, questions_process_cpu_s,
questions_peak_mb, load_average (1 minute, at the start and at the end), rows, format."""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Hữu", "Ngọc", "Đức", "Thanh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hương", "Lan", "Long", "Mai", "Nam", "Phong", "Quân", "Tâm",
         "Thảo", "Trang", "Tuấn", "Uyên", "Vân", "Việt", "Xuân", "Yến", "Khoa", "Linh", "Ngọc", "Phúc", "Sơn", "Thắng"]
MAJORS = ["Tài chính", "Kế toán", "Luật", "Quản trị kinh doanh", "Công nghệ thông tin"]


def _positions() -> list[list]:
    return [[f"VT-{i:02d}", f"Chuyên viên {i}", "Sở Nội vụ", "chuyen_vien", 5, "written_interview", "dai_hoc",
             MAJORS[i % len(MAJORS)] + "; " + MAJORS[(i + 1) % len(MAJORS)]] for i in range(20)]


def _applications(rows: int) -> list[list]:
    rng = random.Random(6)
    out = []
    for i in range(rows):
        code = rng.randrange(20)
        major = MAJORS[code % len(MAJORS)] if rng.random() < 0.95 else "Ngôn ngữ Anh"
        born = date(1975 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28)).strftime("%d/%m/%Y")
        out.append([f"0{i + 10_000_000_000:011d}", f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}", born,
                    rng.choice(["nam", "nu"]), f"ung.vien{i}@example.vn", f"09{i:08d}", f"VT-{code:02d}", "dai_hoc",
                    major, "", "no"])
    return out


def _questions(rows: int) -> list[list]:
    return [["", "general", "", f"Chủ đề {i % 40}", 1 + i % 3, "single", f"Câu hỏi số {i}: điều nào đúng?",
             f"Phương án A{i}", f"Phương án B{i}", f"Phương án C{i}", f"Phương án D{i}", "", "", "ABCD"[i % 4], 1, ""]
            for i in range(rows)]


def write_files(tmp: Path, rows: int, fmt: str) -> tuple[Path, Path, Path]:
    from questionbank.importers.spreadsheet import HEADERS
    from recruitment import tabular
    from recruitment.importing import APPLICATION_COLUMNS, POSITION_COLUMNS

    positions = tmp / "positions.csv"
    positions.write_bytes(tabular.csv_bytes([c.name for c in POSITION_COLUMNS], _positions()))
    applications = tmp / f"applications.{fmt}"
    headers, data = [c.name for c in APPLICATION_COLUMNS], _applications(rows)
    applications.write_bytes(tabular.xlsx_bytes([("data", headers, data)]) if fmt == "xlsx"
                             else tabular.csv_bytes(headers, data))
    questions = tmp / f"questions.{fmt}"
    data = _questions(rows)
    questions.write_bytes(tabular.xlsx_bytes([("data", HEADERS, data)]) if fmt == "xlsx" else tabular.csv_bytes(HEADERS, data))
    return positions, applications, questions


def child(kind: str, tmp: str, path: str, positions: str) -> None:
    """One measured import in this fresh process; prints its seconds and peak MB as JSON."""
    from recruitment import create_app, importing
    from recruitment.extensions import db
    from recruitment.models import Round

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / (kind + '.db')}", "SECRET_KEY": "bench"},
                     instance_path=tmp)
    with app.app_context():
        db.create_all()
        round_ = Round(code="B", name="Bench", rules_code="vn-2025", application_deadline=date.today() + timedelta(days=60),
                       draw_seed="b")
        db.session.add(round_)
        db.session.commit()
        importing.import_positions(round_, "positions.csv", Path(positions).read_bytes())
        data = Path(path).read_bytes()
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        if kind == "applications":
            count = importing.import_applications(round_, Path(path).name, data).rows
        else:
            from questionbank import bank, importers

            parsed = importers.parse(Path(path).name, data, {})
            del data  # as the upload page: the file's bytes are not kept once parsed
            count = len(bank.import_records(parsed.records, None, filename=Path(path).name).created)
            db.session.commit()
        seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": round(seconds, 2), "peak_mb": round(_peak_kb(usage) / 1024), "count": count,
                      "cpu_s": round(_cpu(usage) - _cpu(before), 2), "process_cpu_s": round(_cpu(usage), 2)}))


def _peak_kb(usage) -> int:
    """This process's own peak resident memory. Linux carries ru_maxrss over an exec, so a child
    started by a big parent (this one, after writing the files) would report the parent's peak;
    VmHWM belongs to the process's memory map, new at the exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return usage.ru_maxrss


def _cpu(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def measure(kind: str, tmp: Path, path: Path, positions: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.imports", "--child", kind, str(tmp), str(path), str(positions)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--child", nargs=4, metavar=("KIND", "TMP", "FILE", "POSITIONS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    from recruitment import create_app

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        with create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench"}, instance_path=name).app_context():
            positions, applications, questions = write_files(tmp, args.rows, args.format)
        load_before = os.getloadavg()[0]
        results = {}
        for kind, path in (("applications", applications), ("questions", questions)):
            got = results[kind] = measure(kind, tmp, path, positions)
            print(f"{got['count']} {kind} from {path.name} ({path.stat().st_size / 1e6:.1f} MB): {got['seconds']} s, "
                  f"CPU {got['cpu_s']} s (the whole process: {got['process_cpu_s']} s), peak {got['peak_mb']} MB "
                  f"(aims: < 20 s, < 300 MB)")
    apps, qs = results["applications"], results["questions"]
    print(json.dumps({"applications_100k_s": apps["seconds"], "applications_cpu_s": apps["cpu_s"],
                      "applications_process_cpu_s": apps["process_cpu_s"], "peak_mb": apps["peak_mb"],
                      "questions_100k_s": qs["seconds"], "questions_cpu_s": qs["cpu_s"],
                      "questions_process_cpu_s": qs["process_cpu_s"], "questions_peak_mb": qs["peak_mb"],
                      "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                      "rows": args.rows, "format": args.format}))


if __name__ == "__main__":
    main()
