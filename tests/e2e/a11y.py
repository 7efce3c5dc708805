"""axe-core (shipped inside the axe-playwright-python package, no download) over a page: the
serious and critical violations, each with the elements it found, as readable lines."""
from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

_AXE = Axe()
BLOCKING = ("serious", "critical")


def violations(page, where: str = "") -> list[str]:
    results = _AXE.run(page)
    found = []
    for v in results.response["violations"]:
        if v.get("impact") in BLOCKING:
            targets = ", ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                                for n in v["nodes"][:5])
            found.append(f"{where or page.url}: {v['impact']} {v['id']} ({v['help']}) at {targets}")
    return found
