"""Word (.docx) question banks, in the layout question-setting boards write (docs/word-question-banks.md):

    Heading  "Phần: Kiến thức chung — Chủ đề: Luật Cán bộ, công chức — Mức độ: dễ"
    Câu 1. Stem, on one or more paragraphs (images kept)
    A. option   B. option   C. option   D. option      (one per paragraph, or several on one)

The key is the option written all in bold or all underlined, or ending with "*", or given in an
answer table ("Câu | Đáp án", in column pairs) anywhere in the file. A heading sets the section,
topic, difficulty and positions of the questions under it; a sub-heading inherits what its parent
heading set and what it does not set comes from the import's defaults (--section, --topic ...).
Every error names the question ("Câu 12") and nothing is imported while there is one."""
from __future__ import annotations

import hashlib
import html
import io
import re
from dataclasses import dataclass, field

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from flask_babel import gettext as _

from recruitment import unreadable
from recruitment.sheet_rows import listed_within
from recruitment.tabular import MAX_UNZIPPED_BYTES, ImportRejected, RowError
from recruitment.vietnamese import fold, nfc

from ..record_checks import validate
from ..records import LETTERS, QuestionRecord, normalise_html
from . import word_symbols

QUESTION = re.compile(r"^\s*(?:câu|question)\s+(\d+)\s*[.:)]\s*", re.IGNORECASE)
OPTION = re.compile(r"^\s*([A-F])\s*[.)]\s*")
IMAGE = "\ufffc"  # stands for an embedded picture in a paragraph's text
LINKED = "\ufffe"  # a picture linked to a file outside the document: nothing to import, an error
PICTOGRAPH = "\ufdd0"  # a character of a symbol font with no text form (Wingdings): an error naming the font
# The markers are characters a file can hold too: U+FFFC comes with text pasted from a browser (it stood
# for an object that was not copied) and a marker typed in the text would be taken for a picture (the
# pictures fell out of step, and the import crashed) or a pictograph. They mean nothing as text, so the
# text read from the file is without them before any marker is set.
_NO_MARKERS = str.maketrans(dict.fromkeys(IMAGE + LINKED + PICTOGRAPH))

KEY_PARTS = re.compile(r"\s*[—–|]\s*")
SECTIONS = {"kien thuc chung": "general", "general": "general", "ngoai ngu": "language", "language": "language",
            "chuyen nganh": "professional", "nghiep vu chuyen nganh": "professional", "professional": "professional"}
DIFFICULTIES = {"de": 1, "easy": 1, "1": 1, "trung binh": 2, "medium": 2, "2": 2, "kho": 3, "hard": 3, "3": 3}
KEYS = {"phan": "section", "section": "section", "chu de": "topic", "topic": "topic", "muc do": "difficulty",
        "do kho": "difficulty", "difficulty": "difficulty", "vi tri": "positions", "vi tri viec lam": "positions",
        "positions": "positions"}
ANSWER_HEADERS = ("cau", "dap an")


def _typed(text: str) -> str:
    """Text read from the file, without the characters the importer keeps as markers."""
    return text.translate(_NO_MARKERS)


@dataclass
class Text:
    """A paragraph's characters with their formatting, pictures as IMAGE with the picture's bytes."""
    chars: list[tuple[str, bool, bool]] = field(default_factory=list)  # (char, bold, underlined)
    images: list[bytes] = field(default_factory=list)
    pictograph_fonts: list[str] = field(default_factory=list)  # one per PICTOGRAPH, in order

    @property
    def plain(self) -> str:
        return "".join(c for c, _b, _u in self.chars)

    def slice(self, start: int, end: int | None = None) -> Text:
        part = Text(self.chars[start:end])
        part.images = self._kept(self.images, IMAGE, start, part)
        part.pictograph_fonts = self._kept(self.pictograph_fonts, PICTOGRAPH, start, part)
        return part

    def _kept(self, items: list, marker: str, start: int, part: Text) -> list:
        """The items of the markers that fall in part (which begins at start)."""
        before = sum(1 for c, _b, _u in self.chars[:start] if c == marker)
        return items[before:before + sum(1 for c, _b, _u in part.chars if c == marker)]

    def add_symbol(self, font: str | None, code: int | None, bold: bool, underline: bool) -> None:
        """code None: the file's code is no character (a hand-made file), reported as a pictograph is."""
        char = None if code is None else word_symbols.decode(font, code)
        if char is None:
            self.chars.append((PICTOGRAPH, False, False))
            self.pictograph_fonts.append(font or "?")
        else:
            self.chars += [(c, bold, underline) for c in _typed(nfc(char))]  # w:sym can name U+FFFC too


@dataclass
class Draft:
    number: int
    context: dict
    stem: list[Text] = field(default_factory=list)
    options: list[Text] = field(default_factory=list)
    # F2: an option's letter that is not the next one (a forgotten "B." line): the key, given by its
    # letter, would mark another option, so the question is refused rather than renumbered.
    misordered: str | None = None


def _paragraph_text(paragraph: Paragraph) -> Text:
    text = Text()
    # The runs of the paragraph and of its hyperlinks, in order (paragraph.runs skips the latter).
    for element in paragraph._p.xpath("./w:r | ./w:hyperlink/w:r | ./w:ins/w:r"):
        run = Run(element, paragraph)
        style_font = run.style.font if run.style is not None else None
        bold = bool(run.bold if run.bold is not None else (style_font and style_font.bold))
        underline = bool(run.underline if run.underline is not None else (style_font and style_font.underline))
        font = run.font.name or (style_font and style_font.name)
        for child in run._r.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "t" and word_symbols.is_symbol_font(font):  # "a" set in the Symbol font shows α
                for c in _typed(child.text or ""):
                    text.add_symbol(font, ord(c), bold, underline)
            elif tag == "t":
                text.chars += [(c, bold, underline) for c in _typed(nfc(child.text or ""))]
            elif tag == "sym":  # Insert > Symbol
                text.add_symbol(child.get(qn("w:font")), _hex(child.get(qn("w:char"))), bold, underline)
            elif tag == "tab":
                text.chars.append(("\t", bold, underline))
            elif tag in ("br", "cr"):  # Shift+Enter: the words on either side stay apart
                text.chars.append(("\n", bold, underline))
            elif tag == "noBreakHyphen":  # COVID-19 stays COVID-19 (a soft hyphen is only a place to break)
                text.chars.append(("-", bold, underline))
            elif tag in ("drawing", "pict"):
                for picture in child.xpath(".//*[local-name()='blip'] | .//*[local-name()='imagedata']"):
                    rid = next((v for k, v in picture.attrib.items() if k.rsplit("}", 1)[-1] in ("embed", "id")), None)
                    part = paragraph.part.related_parts.get(rid) if rid else None
                    if part is not None:
                        text.chars.append((IMAGE, False, False))
                        text.images.append(part.blob)
                    else:  # "Insert > Link to File": the picture is not in the document
                        text.chars.append((LINKED, False, False))
    return text


def _hex(value: str | None) -> int | None:
    try:
        code = int(value or "", 16)
    except ValueError:
        return None
    return code if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else None  # no surrogate half


def _html(text: Text, images: dict[str, bytes]) -> str:
    out, pictures = [], iter(text.images)
    for c, _b, _u in text.chars:
        if c == IMAGE:
            data = next(pictures)
            name = f"docx-{hashlib.sha256(data).hexdigest()[:20]}.{_extension(data)}"
            images[name] = data
            out.append(f'<img src="{name}" alt="">')
        elif c == "\n":
            out.append("<br>")
        else:
            out.append(html.escape(c, quote=False))
    return "".join(out).strip()


def _extension(data: bytes) -> str:
    import filetype

    kind = filetype.guess(data)
    return kind.extension if kind else "bin"


def _is_heading(paragraph: Paragraph) -> int:
    """The heading's level (1 for a title), 0 for a body paragraph."""
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name.lower().startswith("heading"):
        digits = re.sub(r"\D", "", name)
        return int(digits) if digits else 1
    return 1 if name.lower() == "title" else 0


def _heading_keys(text: str, errors: list[RowError]) -> dict:
    """'Phần: Kiến thức chung — Chủ đề: … — Mức độ: dễ' -> {section, topic, difficulty}; a heading
    that names no key (a plain chapter title) gives {}."""
    keys, parts = {}, [p for p in KEY_PARTS.split(text.strip()) if p]
    named = [p for p in parts if ":" in p and fold(p.split(":", 1)[0]).strip() in KEYS]
    if not named:
        return {}
    for part in parts:
        name, _sep, value = part.partition(":")
        key, value = KEYS.get(fold(name).strip()), value.strip()
        if key is None or not value:
            errors.append(RowError(None, None, _("heading '%(heading)s': '%(part)s' is not 'Key: value' with a key of "
                                                 "Phần, Chủ đề, Mức độ or Vị trí", heading=text, part=part)))
        elif key == "section":
            if fold(value) not in SECTIONS:
                errors.append(RowError(None, None, _("heading '%(heading)s': the section '%(value)s' is not Kiến thức "
                                                     "chung, Ngoại ngữ or Chuyên ngành", heading=text, value=value)))
            keys["section"] = SECTIONS.get(fold(value), value)
        elif key == "difficulty":
            if fold(value) not in DIFFICULTIES:
                errors.append(RowError(None, None, _("heading '%(heading)s': the difficulty '%(value)s' is not dễ, "
                                                     "trung bình or khó", heading=text, value=value)))
            keys["difficulty"] = DIFFICULTIES.get(fold(value), 0)
        elif key == "positions":
            keys["positions"] = [p.strip() for p in re.split(r"[,;]", value) if p.strip()]
        else:
            keys["topic"] = value
    return keys


def _answer_table(table: Table) -> dict[int, str] | None:
    """A 'Câu | Đáp án' table (in column pairs) -> {question number: letter}; None for other tables."""
    rows = [[nfc(cell.text).strip() for cell in row.cells] for row in table.rows]
    if not rows or len(rows[0]) < 2:
        return None
    header = [fold(c) for c in rows[0]]
    pairs = [i for i in range(0, len(header) - 1, 2) if (header[i], header[i + 1]) == ANSWER_HEADERS]
    if not pairs:
        return None
    found = {}
    for row in rows[1:]:
        for i in pairs:
            if i + 1 < len(row) and row[i].strip():
                number = re.sub(r"\D", "", row[i])
                found[int(number) if number else -1] = row[i + 1].strip().upper().rstrip(".")
    return found


def _split_options(text: Text) -> list[Text]:
    """'A. … B. … C. …' on one paragraph -> one Text per option; the letters must follow in order."""
    plain = text.plain
    first = OPTION.match(plain)
    letter = LETTERS.index(first.group(1))
    cuts, at = [first.end()], first.end()
    while letter + 1 < len(LETTERS):
        following = re.compile(rf"\s{LETTERS[letter + 1]}\s*[.)]\s+").search(plain, at)
        if following is None:
            break
        cuts += [following.start(), following.end()]
        at, letter = following.end(), letter + 1
    cuts.append(len(plain))
    return [text.slice(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]


def _marked(option: Text) -> bool:
    """The board's marking of the key: the whole option in bold, or underlined."""
    body = [(b, u) for c, b, u in option.chars if not c.isspace() and c != IMAGE]
    return bool(body) and (all(b for b, _u in body) or all(u for _b, u in body))


def parse(filename: str, data: bytes, defaults: dict) -> tuple[list[QuestionRecord], list[str]]:
    try:
        # python-docx inflates every part into memory as it opens the file: a picture of a few MB
        # zipped can list gigabytes, so the sizes the archive lists are checked first (as an .xlsx's).
        within = listed_within(data, MAX_UNZIPPED_BYTES)
        document = Document(io.BytesIO(data)) if within else None
    except Exception as exc:  # noqa: BLE001 - not a zip, a missing part, a part that is not well-formed XML...
        raise ImportRejected([RowError(None, None, _("this is not a readable Word .docx file (%(cause)s)",
                                                     cause=unreadable.cause(exc, data=data)))]) from None
    if document is None:
        raise ImportRejected([RowError(None, None, _("this Word file unpacks to more than %(mb)d MB",
                                                     mb=MAX_UNZIPPED_BYTES // (1024 * 1024)))])
    errors: list[RowError] = []
    levels: dict[int, dict] = {}
    drafts: list[Draft] = []
    answers: dict[int, str] = {}
    current: Draft | None = None
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            found = _answer_table(Table(element, document))
            if found is not None:
                answers.update(found)
                current = None
            continue
        if tag != "p":
            continue
        paragraph = Paragraph(element, document)
        level = _is_heading(paragraph)
        text = _paragraph_text(paragraph)
        plain = text.plain.strip()
        if level:
            levels = {lv: keys for lv, keys in levels.items() if lv < level}
            levels[level] = _heading_keys(plain, errors)
            current = None
            continue
        if not plain:
            continue
        start = QUESTION.match(text.plain)
        if start:
            context = dict(defaults)
            for lv in sorted(levels):
                context.update(levels[lv])
            current = Draft(int(start.group(1)), context, [text.slice(start.end())])
            drafts.append(current)
        elif current is None:
            continue  # a chapter's introduction, instructions to the board ...
        elif OPTION.match(text.plain) and (current.options or OPTION.match(text.plain).group(1) == "A"):
            letter, count = OPTION.match(text.plain).group(1), len(current.options)
            if current.misordered is None and (count >= len(LETTERS) or letter != LETTERS[count]):
                current.misordered = _("option %(letter)s follows option %(last)s: an option is missing or lettered "
                                       "out of order", letter=letter, last=LETTERS[min(count, len(LETTERS)) - 1])
            current.options += _split_options(text)
        elif current.options:
            current.options[-1].chars += [(" ", False, False), *text.chars]
            current.options[-1].images += text.images
        else:
            current.stem.append(text)
    return _records(drafts, answers, errors), []


def _records(drafts: list[Draft], answers: dict[int, str], errors: list[RowError]) -> list[QuestionRecord]:
    records, seen = [], set()

    def fail(number: int, fieldname: str | None, message: str):
        errors.append(RowError(number, fieldname, _("Question %(n)d: %(message)s", n=number, message=message)))

    for number in sorted(set(answers) - {d.number for d in drafts}):
        errors.append(RowError(None, None, _("the answer table gives a key for question %(n)s, which is not in the file",
                                             n=number if number >= 0 else "?")))
    for draft in drafts:
        n = draft.number
        if n in seen:
            fail(n, None, _("this number is used twice: number the questions through the whole file"))
            continue
        seen.add(n)
        if draft.misordered:
            fail(n, None, draft.misordered)
            continue
        if any(LINKED in part.plain for part in draft.stem + draft.options):
            fail(n, None, _("a picture is linked to a file outside the document, not inserted in it: insert the "
                            "picture itself (Insert > Pictures > This Device) and save again"))
            continue
        fonts = sorted({font for part in draft.stem + draft.options for font in part.pictograph_fonts})
        if fonts:
            fail(n, None, _("a symbol of the font %(fonts)s has no text form: type the character itself (Insert > "
                            "Symbol, in a text font) or insert it as a picture", fonts=", ".join(fonts)))
            continue
        images: dict[str, bytes] = {}
        keyed, options = [], []
        for i, option in enumerate(draft.options):
            plain = option.plain.rstrip()
            if plain.endswith("*"):
                keyed.append(i)
                option = option.slice(0, len(plain) - 1)
            elif _marked(option):
                keyed.append(i)
            options.append(normalise_html(_html(option, images), is_html=True))
        letters = LETTERS[:len(options)]
        if n in answers:
            letter = answers[n]
            if not letter:
                fail(n, "answer", _("the answer table gives no answer for this question"))
                continue
            if len(letter) != 1 or letter not in letters:  # "BC" is in "ABCD" as text, not an option
                fail(n, "answer", _("the answer table gives '%(value)s', which is not one of its options", value=letter))
                continue
            if keyed and keyed != [letters.index(letter)]:
                fail(n, "answer", _("the answer table gives %(table)s but the option marked in the text is %(marked)s",
                                    table=letter, marked=", ".join(letters[i] for i in keyed)))
                continue
            keyed = [letters.index(letter)]
        if not keyed:
            fail(n, "answer", _("no key: mark the right option in bold, underline or with a trailing *, or give it "
                                "in the answer table"))
            continue
        if len(keyed) > 1:
            fail(n, "answer", _("several options are marked as the key: %(letters)s",
                                letters=", ".join(letters[i] for i in keyed)))
            continue
        stem = "<br>".join(filter(None, (_html(part, images) for part in draft.stem)))
        context = draft.context
        record = QuestionRecord(ref=n, stem=normalise_html(stem, is_html=True), options=options, answer=keyed,
                                section=context.get("section", "general"), positions=list(context.get("positions", [])),
                                topic=str(context.get("topic", "")), difficulty=int(context.get("difficulty") or 0),
                                images=images, label=f"Câu {n}")
        for error in validate(record):
            fail(n, error.column, error.message)
        records.append(record)
    if errors:
        raise ImportRejected(errors)
    return records
