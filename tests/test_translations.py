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


def test_templates_translate_as_jinja_s_newstyle_gettext_does(app):
    """The templates' `_` is called directly rather than through Jinja's two wrappers (recruitment/i18n.py):
    the same text, the translation trusted, its variables escaped, `%%` a percent sign, in both languages."""
    from flask import render_template_string, session
    from flask_babel import get_translations, refresh
    from jinja2 import Environment

    source = ('{{ _("Log out") }}|{{ _("Result of candidate No. %(number)s", number="<b>7</b>") }}|'
              '{{ _("Next") }}|{{ gettext("Hand in") }}|{{ _("%(n)s%% done", n=5) }}')
    rendered = {}
    for language in ("vi", "en"):
        with app.test_request_context("/"):
            session["lang"] = language
            refresh()  # the app context, and the locale it keeps, outlive the request
            ours = render_template_string(source)
            jinja = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
            jinja.install_gettext_callables(get_translations().ugettext, get_translations().ungettext, newstyle=True)
            assert ours == jinja.from_string(source).render()
            assert "&lt;b&gt;7&lt;/b&gt;" in ours and "<b>" not in ours and "5% done" in ours
            rendered[language] = ours
    assert rendered["en"].startswith("Log out|") and not rendered["vi"].startswith("Log out|")
