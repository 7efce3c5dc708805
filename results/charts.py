"""Charts drawn as inline SVG on the server (the exam LAN has no internet: no chart library from a CDN)."""
from __future__ import annotations

from markupsafe import Markup, escape


def histogram_svg(values: list[float], title: str, bins: int = 10, lo: float = 0, hi: float = 100) -> Markup:
    counts = [0] * bins
    for v in values:
        index = min(int((v - lo) / (hi - lo) * bins), bins - 1)
        counts[max(index, 0)] += 1
    return bars_svg([(f"{lo + i * (hi - lo) / bins:g}", c) for i, c in enumerate(counts)], title)


def bars_svg(items: list[tuple[str, float]], title: str, width: int = 520, height: int = 220) -> Markup:
    top = max((v for _l, v in items), default=0) or 1
    bar = (width - 40) / max(len(items), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(items):
        h = (height - 50) * value / top
        x = 30 + i * bar
        parts.append(f'<rect x="{x + 2:.1f}" y="{height - 30 - h:.1f}" width="{bar - 4:.1f}" height="{h:.1f}" fill="#0b5cad"/>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - 14}" font-size="11" text-anchor="middle">{escape(label)}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - 34 - h:.1f}" font-size="11" text-anchor="middle">{value:g}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
