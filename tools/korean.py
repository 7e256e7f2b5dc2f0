"""The Korean edition: notebooks/ko/NN_name.ipynb, built from the English lesson and a translation file.

One source of code: a Korean lesson's code cells *are* the English ones (copied by this tool, never by
hand); only the text is translated. The translation of lesson NN lives in ``translations/ko/NN_name.md``,
one block per English markdown cell, in the English order::

    <!-- cell 0aeb79dc | en sha256:1a2b3c4d5e6f -->
    # 레슨 01 · 경사 하강법과 세 가지 단점
    ...

The marker names the English cell (its nbformat cell id) and the first 12 hex digits of the SHA-256 of that
English cell's text *as it was when the block was translated*. When the English text changes, the hashes no
longer agree and ``check`` (and tests/test_korean_edition.py) names both cells: the translation is stale.
An English cell added, removed or moved is caught the same way.

    python tools/korean.py template 03        write translations/ko/03_*.md from the English text (to translate)
    python tools/korean.py build [03 ...]     write notebooks/ko/NN_*.ipynb (outputs cleared; then run them)
    python tools/korean.py check [03 ...]     list what is stale, missing or out of order; exit 1 if anything
    python tools/korean.py stamp 03 CELL_ID   after re-translating a block whose English changed: record the
                                              English text's current hash (one cell at a time, on purpose)

``course.py korean`` builds every Korean lesson and runs it (``make korean``).
"""

import copy
import hashlib
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KO_NOTEBOOKS = NOTEBOOKS / "ko"
TRANSLATIONS = ROOT / "translations" / "ko"
MARKER = re.compile(r"^<!-- cell (\S+) \| en sha256:([0-9a-f]{12}) -->$")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
SETUP_CALL = "lessons_lib.notebook_setup()"
KO_SETUP_CALL = 'lessons_lib.notebook_setup(language="ko")'


def sha(text):
    """The first 12 hex digits of the SHA-256 of a cell's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def english_lessons():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def lesson_path(number):
    matches = sorted(NOTEBOOKS.glob(f"{number}_*.ipynb"))
    if len(matches) != 1:
        raise SystemExit(f"no single English lesson numbered {number!r} in notebooks/")
    return matches[0]


def translation_path(en_path):
    return TRANSLATIONS / (en_path.stem + ".md")


def korean_path(en_path):
    return KO_NOTEBOOKS / en_path.name


def first_line(text, width=60):
    line = next((line for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= width else line[: width - 3] + "..."


# ------------------------------------------------------------------------------------------ the translation file


def read_translation(path):
    """The blocks of a translation file, in order: a list of (cell_id, sha, korean_text)."""
    blocks, current = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = MARKER.match(line.strip())
        if match:
            current = [match.group(1), match.group(2), []]
            blocks.append(current)
        elif current is not None:
            current[2].append(line)
        elif line.strip() and not line.startswith("<!--"):
            raise ValueError(f"{path}: text before the first cell marker: {line!r}")
    return [(cell_id, digest, "\n".join(lines).strip("\n")) for cell_id, digest, lines in blocks]


def write_translation(path, blocks):
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = [f"<!-- cell {cell_id} | en sha256:{digest} -->\n{text.strip()}\n" for cell_id, digest, text in blocks]
    path.write_text("\n".join(parts), encoding="utf-8")


def template(en_path):
    """A translation file holding the English text of every markdown cell, for a translator to replace."""
    nb = nbformat.read(en_path, as_version=4)
    blocks = [(c.id, sha(c.source), c.source) for c in nb.cells if c.cell_type == "markdown"]
    path = translation_path(en_path)
    if path.exists():
        raise SystemExit(f"{path.relative_to(ROOT)} exists already; edit it (or delete it first)")
    write_translation(path, blocks)
    return path


# ------------------------------------------------------------------------------------------ checking


def problems(en_path, ko_path=None, tr_path=None):
    """Everything that makes the Korean twin of ``en_path`` out of step with it, as sentences."""
    ko_path = ko_path or korean_path(en_path)
    tr_path = tr_path or translation_path(en_path)
    en_name = en_path.relative_to(ROOT) if en_path.is_relative_to(ROOT) else en_path
    if not tr_path.exists():
        return [f"{en_name} has no Korean translation ({tr_path.name} is missing)"]
    en = nbformat.read(en_path, as_version=4)
    found = []
    english = [(i, c) for i, c in enumerate(en.cells) if c.cell_type == "markdown"]
    blocks = read_translation(tr_path)
    by_id = {cell_id: (k, digest, text) for k, (cell_id, digest, text) in enumerate(blocks)}
    en_ids = [c.id for _, c in english]
    for i, cell in english:
        if cell.id not in by_id:
            found.append(f"English cell {i} ({cell.id}, {first_line(cell.source)!r}) of {en_name} has no Korean "
                         f"block in {tr_path.name}")
            continue
        k, digest, text = by_id[cell.id]
        if digest != sha(cell.source):
            found.append(f"stale: English cell {i} ({cell.id}, {first_line(cell.source)!r}) of {en_name} changed "
                         f"after its Korean twin (block {k + 1} of {tr_path.name}, {first_line(text)!r}) was "
                         "written; re-translate it, then `python tools/korean.py stamp`")
        if text.strip() == cell.source.strip() and len(re.findall(r"[A-Za-z]{3,}", text)) >= 3:
            found.append(f"untranslated: block {k + 1} of {tr_path.name} ({first_line(text)!r}) is still English")
    orphans = [cell_id for cell_id, _, _ in blocks if cell_id not in en_ids]
    for cell_id in orphans:
        found.append(f"{tr_path.name} has a block for cell {cell_id}, which {en_name} no longer has")
    order = [cell_id for cell_id, _, _ in blocks if cell_id in en_ids]
    if order != [cid for cid in en_ids if cid in by_id]:
        found.append(f"the blocks of {tr_path.name} are not in the order of {en_name}'s cells (a cell moved)")
    if not ko_path.exists():
        found.append(f"{ko_path.relative_to(ROOT)} is missing: run `python tools/korean.py build`")
        return found
    ko = nbformat.read(ko_path, as_version=4)
    if [(c.cell_type, c.id) for c in ko.cells] != [(c.cell_type, c.id) for c in en.cells]:
        found.append(f"{ko_path.relative_to(ROOT)} does not have {en_name}'s cells in its order (a cell was "
                     "added, removed or moved): rebuild it with `python tools/korean.py build`")
        return found
    for i, (e, k) in enumerate(zip(en.cells, ko.cells)):
        if e.cell_type == "code" and k.source != korean_code(e.source):
            found.append(f"code cell {i} of {ko_path.relative_to(ROOT)} differs from the English one: rebuild it")
        if e.cell_type == "markdown" and e.id in by_id and k.source != korean_markdown(by_id[e.id][2], en_path):
            found.append(f"text cell {i} of {ko_path.relative_to(ROOT)} is not its translation block: rebuild it")
    return found


# ------------------------------------------------------------------------------------------ building


def korean_code(source):
    """An English code cell as the Korean lesson runs it: the same, but the set-up cell selects Korean."""
    return source.replace(SETUP_CALL, KO_SETUP_CALL)


def korean_markdown(text, en_path):
    """A translated text cell, with its links pointing where they should from notebooks/ko/."""
    # Colab links (the badge, and any link to a lesson on Colab) open the Korean notebooks.
    text = re.sub(r"(colab\.research\.google\.com/github/[^)\s]*/notebooks/)(\d\d_[^)/\s]+\.ipynb)", r"\1ko/\2", text)
    # Links to files outside notebooks/ (e.g. ../GLOSSARY.md) are one folder further away.
    text = re.sub(r"\]\(\.\./(?!\.\./)", "](../../", text)
    return text


def build(en_path):
    """Write the Korean twin of ``en_path`` (outputs cleared: run it to fill them)."""
    problems_before = [p for p in problems(en_path) if not p.startswith(("stale", "untranslated")) and
                       "notebooks/ko" not in p and "rebuild" not in p]
    if problems_before:
        raise SystemExit("\n".join(problems_before))
    en = nbformat.read(en_path, as_version=4)
    blocks = {cell_id: (digest, text) for cell_id, digest, text in read_translation(translation_path(en_path))}
    ko = copy.deepcopy(en)
    for cell in ko.cells:
        if cell.cell_type == "code":
            cell.source = korean_code(cell.source)
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            digest, text = blocks[cell.id]
            cell.source = korean_markdown(text, en_path)
            cell.metadata["translation"] = {"source_id": cell.id, "source_sha256": digest}
    ko.metadata["language_info"] = {"name": "python"}
    ko.metadata["translation"] = {"language": "ko", "source": f"notebooks/{en_path.name}"}
    KO_NOTEBOOKS.mkdir(exist_ok=True)
    nbformat.validate(ko)
    nbformat.write(ko, korean_path(en_path))
    return korean_path(en_path)


def stamp(en_path, cell_id):
    """Record the current English hash for one block (after its Korean text was brought up to date)."""
    en = nbformat.read(en_path, as_version=4)
    source = next((c.source for c in en.cells if c.id == cell_id and c.cell_type == "markdown"), None)
    if source is None:
        raise SystemExit(f"{en_path.name} has no markdown cell {cell_id}")
    path = translation_path(en_path)
    blocks = [(cid, sha(source) if cid == cell_id else digest, text) for cid, digest, text in read_translation(path)]
    write_translation(path, blocks)


def main(argv):
    if not argv or argv[0] not in ("template", "build", "check", "stamp"):
        print(__doc__)
        return 2
    command, args = argv[0], argv[1:]
    if command == "stamp":
        if len(args) != 2:
            print("usage: korean.py stamp NN CELL_ID", file=sys.stderr)
            return 2
        stamp(lesson_path(args[0]), args[1])
        return 0
    paths = [lesson_path(n) for n in args] if args else english_lessons()
    if command == "template":
        for path in paths:
            print("wrote", template(path).relative_to(ROOT))
        return 0
    if command == "build":
        paths = [p for p in paths if translation_path(p).exists()] if not args else paths
        for path in paths:
            print("wrote", build(path).relative_to(ROOT))
        return 0
    found = [p for path in paths for p in problems(path)]
    print("\n".join(found) if found else "the Korean edition is in step with the English lessons")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
