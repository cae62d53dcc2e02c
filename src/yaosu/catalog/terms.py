"""Index terms for Chinese text without spaces (pure).

Chinese is written without spaces, so a word tokenizer (e.g. jieba) segments "数据资源目录" into
words it knows and misses a query that cuts across its segmentation. We index every overlapping
character bigram of each run of CJK characters (as Lucene's CJKAnalyzer does) plus lower-cased
Latin/digit words: any query of two or more CJK characters is then found by intersecting its
own bigrams, and a one-character query by the unigram terms. Candidates are confirmed by a
substring test, so the bigram overlap never yields a false hit.
"""

from __future__ import annotations

import re

_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+")
MAX_TERM = 32


def _is_cjk(run: str) -> bool:
    return not run[0].isascii()


def index_terms(text: str) -> set[str]:
    """All terms under which `text` is indexed: CJK unigrams and bigrams, Latin words."""
    terms: set[str] = set()
    for run in _RUNS.findall(text.lower()):
        if _is_cjk(run):
            terms.update(run)
            terms.update(run[i:i + 2] for i in range(len(run) - 1))
        else:
            terms.add(run[:MAX_TERM])
    return terms


def query_terms(query: str) -> list[str]:
    """The fewest terms a matching text must all contain: bigrams for CJK runs, words otherwise."""
    terms: list[str] = []
    for run in _RUNS.findall(query.lower()):
        if _is_cjk(run) and len(run) > 1:
            terms.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            terms.append(run[:MAX_TERM])
    return list(dict.fromkeys(terms))


def query_fragments(query: str) -> list[str]:
    """The runs a matching text must contain as substrings (checked after the term lookup)."""
    return list(dict.fromkeys(_RUNS.findall(query.lower())))
