"""`flask --app wsgi demo`: the hub's part of the demo (a round, its positions, 200+ applications
with Vietnamese names, one user per role), then every package's demo step in order."""
from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from datetime import date, timedelta

from flask import Flask

from . import audit, importing, photos_demo, registry, tabular
from .extensions import db
from .i18n import local_today
from .models import ROLES, Application, Role, Round, User

ROUND_CODE = "HP2026"

POSITIONS = [
    # code, name, agency, grade, quota, round-2 form, minimum degree, majors
    ("CV-TC-01", "Chuyên viên quản lý ngân sách", "Sở Tài chính", "chuyen_vien", 3, "written_interview",
     "dai_hoc", "Tài chính; Kế toán; Kinh tế"),
    ("CV-TP-02", "Chuyên viên xây dựng và kiểm tra văn bản", "Sở Tư pháp", "chuyen_vien", 2, "written",
     "dai_hoc", "Luật"),
    ("CV-CNTT-03", "Chuyên viên công nghệ thông tin", "Sở Thông tin và Truyền thông", "chuyen_vien", 2,
     "written_interview", "dai_hoc", "Công nghệ thông tin; Khoa học máy tính; Kỹ thuật phần mềm"),
    ("CS-VT-04", "Cán sự văn thư", "Văn phòng UBND quận Lê Chân", "can_su", 2, "written", "cao_dang",
     "Văn thư lưu trữ; Quản trị văn phòng"),
    ("CVC-KH-05", "Chuyên viên chính quy hoạch phát triển", "Sở Kế hoạch và Đầu tư", "chuyen_vien_chinh", 1,
     "written_interview", "thac_si", "Kinh tế; Quy hoạch vùng và đô thị"),
    ("NV-KT-06", "Nhân viên kỹ thuật hạ tầng mạng", "Sở Thông tin và Truyền thông", "nhan_vien", 1, "written",
     "trung_cap", ""),
]
SHARES = {"CV-TC-01": 70, "CV-TP-02": 45, "CV-CNTT-03": 50, "CS-VT-04": 35, "CVC-KH-05": 12, "NV-KT-06": 18}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý", "Đinh", "Mai", "Trịnh", "Lương"]
MIDDLE_M = ["Văn", "Minh", "Đức", "Quang", "Hữu", "Thanh", "Gia", "Bảo", "Hoàng", "Tuấn", "Công"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Hoài", "Khánh", "Phương", "Minh", "Thùy", "Bích"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Khoa", "Long", "Minh", "Nam",
           "Phong", "Phúc", "Quân", "Sơn", "Thắng", "Trung", "Tuấn", "Việt", "Vinh", "Khánh"]
GIVEN_F = ["Anh", "Châu", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngân", "Nhung",
           "Oanh", "Quỳnh", "Tâm", "Thảo", "Trang", "Vân", "Yến", "Huyền", "Dung"]
OTHER_MAJORS = ["Quản trị kinh doanh", "Ngôn ngữ Anh", "Xã hội học"]

STAFF = [  # username, full name, roles
    ("admin", "Quản trị hệ thống", ["admin"]),
    ("council_chair", "Phạm Văn Hòa (Chủ tịch Hội đồng)", ["council_chair"]),
    ("hr", "Nguyễn Thị Thu Hà (Sở Nội vụ)", ["hr"]),
    ("question_setter", "Trần Minh Đức (Ban đề thi)", ["question_setter"]),
    ("question_setter2", "Lê Thị Hồng Nhung (Ban đề thi)", ["question_setter"]),
    ("proctor", "Vũ Quang Huy (Giám thị)", ["proctor"]),
    ("proctor2", "Đỗ Thị Lan (Giám thị)", ["proctor"]),
    ("technician", "Bùi Văn Tùng (Kỹ thuật viên)", ["technician"]),
    ("interviewer", "Hoàng Văn Thành (Trưởng ban phỏng vấn)", ["interviewer"]),
    ("interviewer2", "Ngô Thị Minh Phương", ["interviewer"]),
    ("interviewer3", "Đặng Quốc Bảo", ["interviewer"]),
    ("marker", "Dương Thị Kim Oanh (Ban chấm thi)", ["marker"]),
    ("marker2", "Trịnh Văn Lợi (Ban chấm thi)", ["marker"]),
    ("marker3", "Cao Thị Ngọc Ánh (Ban chấm thi)", ["marker"]),
    ("marker4", "Lý Minh Khôi (Ban chấm phúc khảo)", ["marker"]),
    ("marker5", "Tạ Thị Hương Giang (Ban chấm phúc khảo)", ["marker"]),
    ("marker6", "Kiều Văn Đạt (Ban chấm phúc khảo)", ["marker"]),
    ("verifier", "Phan Thanh Sơn (Ban kiểm tra hồ sơ)", ["verifier"]),
    ("verifier2", "Mai Thị Thanh Tâm (Ban kiểm tra hồ sơ)", ["verifier"]),
    ("supervisor", "Lương Văn Kiên (Ban giám sát)", ["supervisor"]),
]


def demo_draw_seed(round_code: str) -> str:
    """The demo's draw seed, the same on every run. A real round draws a secret one (G1: nobody can
    work out a form beforehand); the demo replays a round, and a fresh seed each time drew other
    forms, so other round-1 marks, other candidates due an interview and other random marks after
    them (the results demo's tie, the README's steps and the tests built on the demo moved with it)."""
    return hashlib.sha256(f"demo draw {round_code}".encode()).hexdigest()


def demo_password(username: str) -> str:
    """Demo accounts only: a password the README can print next to the user name."""
    return f"{username}@HP2026"


def _people(rng: random.Random, deadline: date) -> list[list]:
    rows, used_ids = [], set()
    for code, _name, _agency, _grade, _quota, _form, level, majors in POSITIONS:
        accepted = [m.strip() for m in majors.split(";") if m.strip()] or ["Điện tử viễn thông"]
        for i in range(SHARES[code]):
            female = rng.random() < 0.55
            name = " ".join([rng.choice(FAMILY), rng.choice(MIDDLE_F if female else MIDDLE_M),
                             rng.choice(GIVEN_F if female else GIVEN_M)])
            nid = f"031{rng.randint(0, 999999999):09d}"
            while nid in used_ids:
                nid = f"031{rng.randint(0, 999999999):09d}"
            used_ids.add(nid)
            birth = deadline - timedelta(days=rng.randint(21 * 365, 40 * 365))
            degree, major = level, rng.choice(accepted)
            if i == 3:
                birth = deadline - timedelta(days=17 * 365)  # A2: under 18 on the deadline
            elif i == 5 and majors:
                major = rng.choice(OTHER_MAJORS)  # A2: major not accepted
            elif i == 7 and level == "thac_si":
                degree = "dai_hoc"  # A2: degree below the minimum
            priority = rng.choices(["", "military_service", "ethnic_minority", "martyr_child", "war_invalid",
                                    "union_cadre", "youth_volunteer"], [80, 6, 4, 3, 2, 3, 2])[0]
            rows.append([nid, name, birth.strftime("%d/%m/%Y"), "nu" if female else "nam",
                         f"ungvien{len(rows) + 1}@example.vn", f"09{rng.randint(10000000, 99999999)}", code,
                         degree, major, priority, "no"])
    return rows


def run(app: Flask, echo: Callable[[str], None] = print) -> dict[str, str]:
    rng = random.Random(2026)
    passwords: dict[str, str] = {}
    users: dict[str, User] = {}
    roles = {r.name: r for r in db.session.scalars(db.select(Role))}
    for name in ROLES:
        if name not in roles:
            roles[name] = Role(name=name)
            db.session.add(roles[name])
    for username, full_name, role_names in STAFF:
        user = db.session.scalar(db.select(User).filter_by(username=username))
        if user is None:
            user = User(username=username, full_name=full_name, roles=[roles[r] for r in role_names],
                        email=f"{username}@haiphong.gov.vn")
            user.set_password(demo_password(username))
            db.session.add(user)
        users[username], passwords[username] = user, demo_password(username)
    deadline = local_today() - timedelta(days=20)
    round_ = Round(code=ROUND_CODE, name="Thi tuyển công chức thành phố Hải Phòng năm 2026",
                   rules_code="vn-2025", application_deadline=deadline, draw_seed=demo_draw_seed(ROUND_CODE))
    db.session.add(round_)
    db.session.flush()
    audit.record("round_created", "round", round_.id, after={"code": round_.code}, actor="demo")
    db.session.commit()

    position_rows = [[c, n, a, g, q, f, d, m] for c, n, a, g, q, f, d, m in POSITIONS]
    importing.import_positions(round_, "positions.xlsx", tabular.xlsx_bytes(
        [("positions", [c.name for c in importing.POSITION_COLUMNS], position_rows)]))
    report = importing.import_applications(round_, "applications.xlsx", tabular.xlsx_bytes(
        [("applications", [c.name for c in importing.APPLICATION_COLUMNS], _people(rng, deadline))]),
        received_on=deadline - timedelta(days=3))  # the demo replays a round: the file came before the deadline
    echo(f"round {ROUND_CODE}: {len(POSITIONS)} positions, {report.rows} applications "
         f"({report.admitted} admitted, {len(report.rejected)} rejected as ineligible)")

    ctx = {
        "round": round_,
        "positions": {p.code: p for p in round_.positions},
        "applications": list(db.session.scalars(
            db.select(Application).filter_by(round_id=round_.id, status="admitted")
            .order_by(Application.candidate_number))),
        "users": users,
        "passwords": passwords,
        "echo": echo,
    }
    shown = photos_demo.load(round_, ctx["applications"])  # identity photos at the door
    db.session.commit()
    echo(f"round {ROUND_CODE}: {shown} identity photos (drawn avatars) on the admission tickets")
    for step in registry.demo_steps(app):
        echo(f"demo: {step.name}")
        step.load(ctx)
        db.session.commit()
    return passwords
