"""The message catalogue kept in step with the code (docs/i18n.md).

`python -m shopledger.web.catalogue` (or `make messages`) extracts every word the pages use
(templates' {% trans %} and _(), Python's N_()/N_n()) with Babel and updates each language's
messages.po: a new word appears with an empty translation for the translator to fill in, a
word no longer used is dropped. The pages read the .po files as they are (web/i18n.py), so
there is nothing to compile. tests/api/test_i18n_catalogue.py runs `extract()` and fails while
a word has no Thai.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from shopledger.web.i18n import DOMAIN, LANGUAGE_NAMES, LANGUAGES, po_path

WEB_DIR = Path(__file__).resolve().parent
CONFIG = WEB_DIR / "babel.cfg"
KEYWORDS = DEFAULT_KEYWORDS | {"N_n": (1, 2)}
PROJECT = "shopledger"


def extract() -> Catalog:
    """Every msgid the web layer uses, with where it is used."""
    with CONFIG.open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, str(CONFIG))
    template = Catalog(project=PROJECT, domain=DOMAIN, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(WEB_DIR), method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def read(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.is_file():
        return Catalog(locale=lang, project=PROJECT, domain=DOMAIN, charset="utf-8")
    with path.open("rb") as po:
        return read_po(po, locale=lang, domain=DOMAIN)


def update(template: Catalog, lang: str) -> list[str]:
    """Brings one language's .po up to the extracted words; the msgids still untranslated."""
    catalog = read(lang)
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    catalog.header_comment = (f"# The pages' words in {LANGUAGE_NAMES[lang]}: English msgids, see docs/i18n.md.\n"
                              "# Kept in step with the code by `make messages`; fill in each empty msgstr.")
    catalog.msgid_bugs_address = catalog.last_translator = catalog.language_team = PROJECT
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalog, width=100, sort_output=True, include_lineno=False)
    return [m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and not m.string]


def main() -> int:
    template = extract()
    for lang in LANGUAGES:
        missing = update(template, lang)
        if lang != "en" and missing:  # English msgids are the English words
            print(f"{lang}: {len(missing)} words to translate in {po_path(lang)}")
    print(f"{len(template)} words in the catalogue")
    return 0


if __name__ == "__main__":
    sys.exit(main())
