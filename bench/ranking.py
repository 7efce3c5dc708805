"""Ranking 100,000 applications in 500 positions, and the 10,000-row PDF.

    python -m bench.ranking [--applications N] [--positions P] [--pdf-rows R]

Prints its figures; the last line is one JSON object: compute_s, pdf_s, compute_ratio (the ranking's
time over a numpy lexsort of the totals), pdf_ratio (the PDF's time over blank reportlab pages, one
per page of the real PDF). Aims: compute under 1 s, the 10,000-row PDF under 10 s."""
from __future__ import annotations

import argparse
import io
import json
import random
import time
from decimal import Decimal

import numpy as np
from reportlab.pdfgen import canvas

from recruitment import create_app
from recruitment.rulesets import VN_2025
from results.ranking import Candidate, Part, rank
from results.service import CSV_COLUMNS


def make_candidates(n: int, positions: int, seed: int = 1) -> list[Candidate]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        form = "written_interview" if i % 3 else "written"
        out.append(Candidate(
            application_id=i, position_code=f"P{i % positions:04d}", candidate_number=i + 1, national_id=f"{i:012d}",
            full_name=f"Thí sinh {i}", grade="chuyen_vien", round2_form=form,
            parts={"general": Part(Decimal(rng.randint(10, 60)), 60)},
            written=Decimal(rng.randint(300, 1000)) / 10, interview=Decimal(rng.randint(300, 1000)) / 10 if form != "written" else None,
            priority_codes=("military_service",) if i % 17 == 0 else ()))
    return out


def best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--positions", type=int, default=500)
    parser.add_argument("--pdf-rows", type=int, default=10_000)
    args = parser.parse_args()
    candidates = make_candidates(args.applications, args.positions)
    quotas = {f"P{p:04d}": 3 for p in range(args.positions)}
    compute_s = best_of(lambda: rank(candidates, quotas, VN_2025))
    rng = np.random.default_rng(1)
    totals, written = rng.random(args.applications) * 100, rng.random(args.applications) * 100
    codes = rng.integers(0, args.positions, args.applications)
    baseline_s = best_of(lambda: np.lexsort((-written, -totals, codes)))
    print(f"ranking {args.applications} applications in {args.positions} positions: {compute_s:.3f} s "
          f"(numpy lexsort of the totals: {baseline_s:.4f} s)")

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench"}, instance_path="/tmp/bench-ranking")
    with app.app_context(), app.test_request_context():
        from results import exports

        rows, _ = rank(candidates[:args.pdf_rows], {f"P{p:04d}": 3 for p in range(args.positions)}, VN_2025)
        plain = [dict(zip(CSV_COLUMNS, [r.candidate.position_code, str(r.rank or ""), str(r.candidate.candidate_number),
                                        r.candidate.national_id, r.candidate.full_name, r.round1,
                                        f"{r.written or ''}", f"{r.interview or ''}", f"{r.round2 or ''}",
                                        f"{r.priority}", f"{r.total or ''}", r.status, "xếp hạng trong chỉ tiêu"],
                                   strict=True)) for r in rows]
        start = time.perf_counter()
        data = exports.to_pdf(plain, title="Bench", version=1, digest="0" * 64, positions={})
        pdf_s = time.perf_counter() - start
        pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")

        def blank():
            out = io.BytesIO()
            c = canvas.Canvas(out)
            for _ in range(pages):
                c.showPage()
            c.save()

        blank_s = best_of(blank)
    print(f"PDF of {len(plain)} rows: {pdf_s:.2f} s, {pages} pages ({pages / pdf_s:.1f} pages/s; "
          f"{pages} blank reportlab pages: {blank_s:.3f} s)")
    print(json.dumps({"compute_s": round(compute_s, 4), "pdf_s": round(pdf_s, 3),
                      "compute_ratio": round(compute_s / baseline_s, 1), "pdf_ratio": round(pdf_s / blank_s, 1),
                      "pdf_pages": pages, "pages_per_s": round(pages / pdf_s, 1)}))


if __name__ == "__main__":
    main()
