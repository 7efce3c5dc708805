"""Every string a user sees goes through the translation layer and has its Vietnamese text."""
from pathlib import Path

import pytest
from babel.messages.extract import extract, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("recruitment", "questionbank", "exam", "interviews", "marking", "verification", "results")
METHODS = [("**.py", "python"), ("**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _sources(package: str) -> list[Path]:
    dirs = [ROOT / package, ROOT / "templates" / package]
    if package == "recruitment":
        dirs += [ROOT / "templates" / "errors"]
    return [d for d in dirs if d.is_dir()]


def _extracted(package: str) -> set[str]:
    found = set()
    for directory in _sources(package):
        for _file, _line, message, _comments, _ctx in extract_from_dir(directory, METHODS, keywords=KEYWORDS):
            found.add(message[0] if isinstance(message, tuple) else message)
    if package == "recruitment":
        for top in ("base.html", "macros.html"):
            with open(ROOT / "templates" / top, "rb") as f:
                for _line, message, _comments, _ctx in extract("jinja2", f, keywords=KEYWORDS):
                    found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_every_string_has_its_vietnamese_translation(package):
    po_path = ROOT / package / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
    wanted = _extracted(package)
    if not wanted:
        return
    assert po_path.exists(), f"run scripts/messages.sh update: {package} has no catalogue"
    with open(po_path, "rb") as f:
        catalog = read_po(f)
    missing = sorted(m for m in wanted if m not in catalog)
    assert not missing, f"not in {po_path.relative_to(ROOT)} (run scripts/messages.sh update): {missing[:10]}"
    untranslated = sorted(m.id if isinstance(m.id, str) else m.id[0] for m in catalog
                          if m.id and (m.id if isinstance(m.id, str) else m.id[0]) in wanted
                          and (m.fuzzy or not (m.string if isinstance(m.string, str) else all(m.string))))
    assert not untranslated, f"no Vietnamese text in {po_path.relative_to(ROOT)}: {untranslated[:10]}"
