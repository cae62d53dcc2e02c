"""Index terms for Chinese text without spaces (pure).

Chinese is written without spaces, so a word tokenizer (e.g. jieba) segments "数据资源目录" into
words it knows and misses a query that cuts across its segmentation. We index every overlapping
character bigram of each run of CJK characters (as Lucene's CJKAnalyzer does) plus lower-cased
Latin/digit words: any query of two or more CJK characters is then found by intersecting its
own bigrams, and a one-character query by the unigram terms. Candidates are confirmed by a
substring test, so the bigram overlap never yields a false hit.

Text is NFKC-normalized and lower-cased first, so full-width Latin letters and digits ("ＧＤＰ",
"２０２４") and CJK compatibility ideographs match their ordinary forms.
"""

from __future__ import annotations

import re
import unicodedata

# CJK Unified Ideographs with extensions A-H, compatibility ideographs, and 〇.
_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\U00031350-\U000323af"
_RUNS = re.compile(f"[{_CJK}]+|[0-9A-Za-z]+")
MAX_TERM = 32


def normalize(text: str) -> str:
    """The form both index and query use: NFKC (full-width to ASCII), lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def _is_cjk(run: str) -> bool:
    return not run[0].isascii()


def index_terms(text: str) -> set[str]:
    """All terms under which `text` is indexed: CJK unigrams and bigrams, Latin words."""
    terms: set[str] = set()
    for run in _RUNS.findall(normalize(text)):
        if _is_cjk(run):
            terms.update(run)
            terms.update(run[i:i + 2] for i in range(len(run) - 1))
        else:
            terms.add(run[:MAX_TERM])
    return terms


def query_terms(query: str) -> list[str]:
    """The fewest terms a matching text must all contain: bigrams for CJK runs, words otherwise."""
    terms: list[str] = []
    for run in _RUNS.findall(normalize(query)):
        if _is_cjk(run) and len(run) > 1:
            terms.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            terms.append(run[:MAX_TERM])
    return list(dict.fromkeys(terms))


def query_fragments(query: str) -> list[str]:
    """The runs a matching text must contain as substrings (checked after the term lookup)."""
    return list(dict.fromkeys(_RUNS.findall(normalize(query))))


def needs_confirmation(fragment: str) -> bool:
    """False when the index terms alone prove `fragment` occurs (a bigram, one character, a short word)."""
    return len(fragment) > (2 if _is_cjk(fragment) else MAX_TERM)
