"""How a catalog search runs: a few short statements whose plans the service chooses.

Measured on 100,000 resources (docs/catalog-search.md): one statement such as
`id IN (SELECT ... term GROUP BY ... HAVING ...) ORDER BY updated_at LIMIT 20` with an exact
count is fine for rare words but touches every candidate row for common ones (a word such as 数据
is in every description), and PostgreSQL's default planner then scans all of `resource` or of
`catalog_text` and starts parallel workers for 20 rows. So:

1. Rank the terms by their posting counts, capped (index-only ranges of `catalog_term`'s key;
   one UNION ALL statement).
2. Gather: load `(id, updated_at)` of at most CAP+1 matches, driven by the rarest term's posting
   list joined to `resource` (or, when a holder or domain filter is set and no term is rarer than
   SMALL, by the filter's index); other required terms are key lookups (EXISTS), filters and
   visibility are plain conditions, substrings are checked on each candidate's text.
3. CAP or fewer matches (or the driver's list is short and read whole): sorted and paged in
   Python; the total is exact. More: the page comes from
   walking `resource` newest first (index on `updated_at, id`) in growing LIMIT/OFFSET windows,
   checking only the window's rows, and the total is reported as CAP with `total_exact=False`.

A CJK run of three or more characters is confirmed by substring, so its bigrams only narrow the
candidates: the rarest drives, the others need no lookup. Every statement is the same portable SQL
on SQLite and PostgreSQL; on PostgreSQL two planner settings are set for the transaction
(`tune_planner`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, select, union_all
from sqlalchemy import text as sql
from sqlalchemy.orm import Session, aliased

from yaosu.catalog.models import CatalogTerm, CatalogText
from yaosu.catalog.terms import MAX_TERM, needs_confirmation, query_fragments, query_terms
from yaosu.resources.models import Resource

SMALL = 2000          # a posting list this short drives even when a holder or domain filter is set
RANK_CAP = 20_000     # counting postings stops here when ranking common terms
RANK_TERMS = 4        # at most this many common terms are ranked precisely
CAP = 500             # frequent mode knows the exact total up to here
WALK_FIRST, WALK_MAX = 50, 5000  # window sizes of the newest-first walk (sized by density)

Row = tuple[str, datetime]


@dataclass(frozen=True)
class TextQuery:
    """What keywords demand: terms looked up, terms that only narrow, runs confirmed by substring."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    confirm: tuple[str, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass(frozen=True)
class Found:
    """The ids of one page in order, the total (or its lower bound), and whether the total is exact."""

    page_ids: list[str]
    total: int
    total_exact: bool


def tune_planner(session: Session) -> None:
    """On PostgreSQL, plan this transaction's short lookups as an SSD-backed, cached database would.

    The defaults (random_page_cost 4, parallel workers for any costly plan) model spinning disks:
    with them the planner prefers scanning all of `resource` to a few thousand key lookups, and
    spends ~10 ms starting workers for a 20-row page. `SET LOCAL` ends with the transaction.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sql("SELECT set_config('random_page_cost', '1.1', true),"
                            " set_config('max_parallel_workers_per_gather', '0', true)"))


def text_query(q: str) -> TextQuery:
    """Split `q` into looked-up terms (short runs are their own term) and substring-confirmed runs."""
    fragments = query_fragments(q)
    confirm = tuple(f for f in fragments if needs_confirmation(f))
    required = tuple(dict.fromkeys(f[:MAX_TERM] for f in fragments if not needs_confirmation(f)))
    optional = tuple(t for t in query_terms(" ".join(confirm)) if t not in required)
    return TextQuery(required=required, optional=optional, confirm=confirm)


def confirmations(text: TextQuery, resource_id: Any = Resource.id) -> list[ColumnElement[bool]]:
    """Substring tests (LIKE, escaped) on the searchable text, one correlated lookup per candidate row."""
    searchable = select(CatalogText.text).where(CatalogText.resource_id == resource_id).scalar_subquery()
    return [searchable.contains(f, autoescape=True) for f in text.confirm]


def _postings(term: str) -> Select[str]:
    return select(CatalogTerm.resource_id).where(CatalogTerm.term == term)


def _counts(session: Session, terms: list[str], cap: int) -> dict[str, int]:
    """Posting counts of `terms`, each capped at `cap`, in one statement."""
    parts = [select(literal(t).label("term"), func.count().label("n"))
             .select_from(_postings(t).limit(cap).subquery()) for t in terms]
    stmt = parts[0] if len(parts) == 1 else union_all(*parts)
    return {row[0]: int(row[1]) for row in session.execute(stmt)}


def rank_terms(session: Session, terms: tuple[str, ...]) -> list[tuple[str, int]]:
    """Terms with their capped posting counts, rarest first."""
    if not terms:
        return []
    counts = _counts(session, list(terms), SMALL + 1)
    if min(counts.values()) > SMALL and len(terms) > 1:
        counts.update(_counts(session, list(terms[:RANK_TERMS]), RANK_CAP))
        counts = {t: counts[t] if t in terms[:RANK_TERMS] else RANK_CAP for t in terms}
    return sorted(counts.items(), key=lambda c: c[1])


def _page(rows: list[Row], offset: int, limit: int) -> list[str]:
    rows.sort(key=lambda r: (r[1], r[0]), reverse=True)
    return [r[0] for r in rows[offset:offset + limit]]


def _probe(term: str, resource_id: Any = Resource.id) -> ColumnElement[bool]:
    """The resource `resource_id` is indexed under `term` (one key lookup per candidate row)."""
    posting = aliased(CatalogTerm)
    return exists().where(posting.term == term, posting.resource_id == resource_id)


def _next_window(missing: int, found: int, walked: int) -> int:
    """Rows to look at next: the missing matches at the density seen so far, with a margin."""
    density = max(found, 1) / walked
    return max(WALK_FIRST, min(WALK_MAX, int(1.5 * missing / density) + 1))


def _walk(session: Session, required: list[str], text: TextQuery, base: list[ColumnElement[bool]],
          wanted: int) -> list[str]:
    """The first `wanted` matches newest first: windows of the `updated_at, id` index, then key lookups.

    Each window is a LIMIT/OFFSET subquery over the resource columns alone, so no planner can
    trade the walk for a full scan; terms and substrings are checked on the window's rows only.
    """
    newest = (Resource.updated_at.desc(), Resource.id.desc())
    if not required and not text.confirm:
        return list(session.scalars(select(Resource.id).where(*base).order_by(*newest).limit(wanted)))
    recent = select(Resource.id, Resource.updated_at).where(*base).order_by(*newest)
    found: list[str] = []
    start, size = 0, max(WALK_FIRST, 4 * wanted)
    while len(found) < wanted:
        window = recent.offset(start).limit(size).subquery()
        checks = [*[_probe(t, window.c.id) for t in required], *confirmations(text, window.c.id)]
        rows = session.execute(select(window.c.id, case((and_(*checks), True), else_=False))
                               .order_by(window.c.updated_at.desc(), window.c.id.desc())).all()
        found += [r[0] for r in rows if r[1]]
        if len(rows) < size:
            break
        start, size = start + size, _next_window(wanted - len(found), len(found), start + size)
    return found[:wanted]


def search(session: Session, text: TextQuery, ranked: list[tuple[str, int]], base: list[ColumnElement[bool]],
           offset: int, limit: int, indexed_filter: bool) -> Found:
    """Load up to CAP matches from the best driver; beyond CAP, walk newest first for the page."""
    short = bool(ranked) and ranked[0][1] <= SMALL
    cap = max(CAP, offset + limit, ranked[0][1] if short else 0)  # a short list is read whole: exact
    conditions = [*base, *confirmations(text)]
    required = [t for t, _ in ranked if t in text.required]  # rarest first; optional ones are confirmed
    columns = (Resource.id, Resource.updated_at)
    if not ranked or (indexed_filter and not short):
        stmt = select(*columns).where(*[_probe(t) for t in required], *conditions)
    else:
        driver = ranked[0][0]
        stmt = (select(*columns).select_from(CatalogTerm)
                .join(Resource, Resource.id == CatalogTerm.resource_id)
                .where(CatalogTerm.term == driver, *[_probe(t) for t in required if t != driver],
                       *conditions))
    rows = [(r[0], r[1]) for r in session.execute(stmt.limit(cap + 1))]
    if len(rows) <= cap:
        return Found(_page(rows, offset, limit), len(rows), True)
    return Found(_walk(session, required, text, base, offset + limit)[offset:], cap, False)
