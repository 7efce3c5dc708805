"""Characters a Word file writes in a symbol font: Insert > Symbol gives <w:sym w:font="Symbol"
w:char="F0B3"/> (≥), and older files type "a" in a run set in the Symbol font to show α. Read as
they are stored, "x ≥ 5" became "x  5" and "α" became "a": the question changed meaning without a
word. The Symbol and Zapf Dingbats fonts have published encodings (ReportLab's codecs, which the
PDFs already depend on); a character of another symbol font (Wingdings, Webdings) has no text form
and is reported, never dropped."""
from __future__ import annotations

from reportlab.pdfbase.rl_codecs import RL_Codecs

RL_Codecs.register()  # adds the "symbol" and "zapfdingbats" codecs to Python's codecs
CODECS = {"symbol": "symbol", "zapfdingbats": "zapfdingbats", "zapf dingbats": "zapfdingbats",
          "itc zapf dingbats": "zapfdingbats"}
PICTOGRAPH_FONTS = ("wingdings", "webdings", "marlett")
PRIVATE_USE = range(0xF000, 0xF100)  # Word stores a symbol font's code c as U+F000 + c


def is_symbol_font(font: str | None) -> bool:
    name = (font or "").strip().lower()
    return name in CODECS or name.startswith(PICTOGRAPH_FONTS)


def decode(font: str | None, code: int) -> str | None:
    """The text of character `code` written in `font`; None when it has none (a pictograph)."""
    name = (font or "").strip().lower()
    if code in PRIVATE_USE:
        code -= 0xF000
    elif not is_symbol_font(font) or code > 0xFF:
        return chr(code)  # a plain character that merely names a font
    if code in (0x20, 0xA0):
        return chr(code)  # a space (or a non-breaking one) typed in a symbol font is that space
    if name not in CODECS:
        return None
    try:
        text = bytes([code]).decode(CODECS[name])
    except UnicodeDecodeError:
        return None
    return text if text.isprintable() else None
