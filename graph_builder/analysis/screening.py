"""Participating entries as arrays -> candidate pairs that may reach a top-k neighbour list.

The first of the fast path's two stages. numpy estimates every score of a block of rows from
per-distinct-set float32 tables, bounds each row's k-th best from a sample of columns, and keeps
only the columns that could rank in the top k; :mod:`graph_builder.analysis.neighbours` then
scores those exactly. The estimates decide nothing but which pairs are scored: the tolerance
`_EPS` keeps every pair whose canonical score could make the list (docs/neighbours.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from graph_builder.analysis.array_types import BoolArray, Float32Array, FloatArray, IntArray
from graph_builder.analysis.score_arrays import CatalogueArrays, FacetArrays, StructureGroups
from graph_builder.analysis.similarity import NeighbourSettings

__all__ = ["CandidateSearch", "Candidates"]


# Screening tolerance. A float32 estimate differs from the canonical score by < 1e-6 (three
# float32 roundings of values <= 1), and rounding to 6 decimals moves a score by <= 5e-7; every
# column that could rank in the top k lies within 2 * (5e-7 + 1e-6) of the k-th best estimate.
_EPS = 1e-5
# Columns scored per row to bound the k-th best from below before the full pass.
_SAMPLE = 4096
# Rows per block: each block builds one table and makes one pass over the columns.
_BLOCK = 256
# Columns per tile of the full pass: a _BLOCK x _TILE float32 tile (1 MiB) stays in cache.
_TILE = 1024
# A facet with at most this many distinct sets has its whole screening table precomputed
# (at most 256 MiB of float32); a larger one is computed block by block.
_FULL_TABLE = 8192
# Frames up to this size are ranked exactly on all their pairs, with no screening.
_SMALL_FRAME = 64


@dataclass(frozen=True, slots=True)
class _Columns:
    """The columns of a search: entry indices, their three table keys, a sample of positions."""

    index: IntArray
    keys: IntArray
    sample: IntArray


class _FacetTable:
    """factor · wJ of one facet between distinct sets, in float: the screening estimate.

    The whole set-by-set table is computed once when the facet has at most `_FULL_TABLE`
    distinct sets; otherwise the rows a block needs are computed for that block.
    """

    def __init__(
        self, facet: FacetArrays, credit: float, factor: float, pool: ThreadPoolExecutor
    ) -> None:
        self._facet = facet
        self._credit, self._factor = credit, factor
        self._members_f = facet.members.astype(np.float64)
        d = facet.distinct
        self._full: Float32Array | None = None
        if d <= _FULL_TABLE:
            full = np.empty((d, d), dtype=np.float32)

            def fill(start: int) -> None:
                full[start : start + _BLOCK] = self.table(np.arange(start, min(d, start + _BLOCK)))

            list(pool.map(fill, range(0, d, _BLOCK)))
            self._full = full

    def rows(self, sets: IntArray) -> Float32Array:
        """factor · wJ between the sets `sets` and every set: (len(sets), d) float32."""
        if self._full is not None:
            return self._full[sets]
        return self.table(sets).astype(np.float32)

    def table(self, sets: IntArray) -> FloatArray:
        """factor · wJ between the distinct sets `sets` and every distinct set: (len(sets), d).

        A float estimate for screening; `FacetArrays.exact` gives the canonical values.
        """
        facet = self._facet
        credit, factor = self._credit, self._factor
        member_f = self._members_f
        exact = (member_f[sets] * facet.weights.astype(np.float64)) @ member_f.T
        union = facet.set_weight[sets].astype(np.float64)[:, None] + facet.set_weight.astype(
            np.float64
        )
        union -= exact
        if facet.has_siblings and credit:
            with_siblings = (facet.thresholds[sets] * facet.threshold_weights) @ facet.thresholds.T
            numerator = exact * (1.0 - credit)
            numerator += credit * with_siblings
        else:
            numerator = exact
        out = np.zeros_like(numerator)
        np.divide(numerator, union, out=out, where=union > 0)
        out *= factor
        return out


def _group_table(groups: StructureGroups, settings: NeighbourSettings) -> Float32Array:
    """The structure and level part of the score between every pair of groups."""
    member_f = groups.members.astype(np.float64)
    g = np.arange(groups.distinct)
    shared = member_f[g] @ member_f.T
    union = groups.size[g].astype(np.float64)[:, None] + groups.size.astype(np.float64) - shared
    out = np.zeros_like(shared)
    np.divide(shared, union, out=out, where=union > 0)
    out *= settings.structure_factor
    level = groups.level[g][:, None]
    out += settings.level_factor * ((level == groups.level[None, :]) & (level >= 0))
    return out.astype(np.float32)


@dataclass(frozen=True, slots=True)
class Candidates:
    """Pairs (row, column) of entry indices that may belong to a top-k list."""

    rows: IntArray
    cols: IntArray


class CandidateSearch:
    """The screening tables of a catalogue, and the candidate pairs of its two kinds of list.

    Built once per run (the tables every block reads are computed on `pool`); then
    :meth:`cross_domain` and :meth:`same_domain` give, for the rows asked, a superset of the
    pairs in their true top-k lists.
    """

    def __init__(self, arrays: CatalogueArrays, pool: ThreadPoolExecutor) -> None:
        s = arrays.settings
        self._arrays = arrays
        self._pool = pool
        self._pattern_table = _FacetTable(arrays.patterns, s.sibling_credit, s.pattern_factor, pool)
        self._relation_table = _FacetTable(
            arrays.relations, s.sibling_credit, s.relation_factor, pool
        )
        self._group_table = _group_table(arrays.groups, s)
        # Column j of the screening tables: [pattern set | relation set | group].
        d_p, d_r = arrays.patterns.distinct, arrays.relations.distinct
        self._offsets = (0, d_p, d_p + d_r)

    def cross_domain(self, rows: IntArray) -> Candidates:
        """Candidates of the cross-domain lists of `rows`, screened against every entry."""
        arrays = self._arrays
        k = arrays.settings.cross_domain_k
        # Columns ordered by pattern set, so neighbouring columns read the same table rows.
        columns = self._columns(np.argsort(arrays.patterns.set_id, kind="stable"))
        blocks = _row_blocks(arrays, rows)
        return _merge(list(self._pool.map(lambda b: self._screen(b, columns, k, False), blocks)))

    def same_domain(self, rows: IntArray) -> Candidates:
        """Candidates within each frame: every pair of a small frame, screening for a large one."""
        arrays = self._arrays
        k = arrays.settings.same_domain_k
        wanted = np.zeros(arrays.n, dtype=np.bool_)
        wanted[rows] = True
        framed = np.flatnonzero(arrays.has_frame)
        by_frame = framed[np.argsort(arrays.frame[framed], kind="stable")]
        bounds = np.flatnonzero(np.diff(arrays.frame[by_frame])) + 1
        small_rows: list[IntArray] = []
        small_cols: list[IntArray] = []
        jobs: list[tuple[IntArray, _Columns]] = []
        for members in np.split(by_frame, bounds):
            if len(members) < 2:
                continue
            members_rows = members[wanted[members]]
            if len(members_rows) == 0:
                continue
            if len(members) <= _SMALL_FRAME:
                r = np.repeat(members_rows, len(members))
                c = np.tile(members, len(members_rows))
                small_rows.append(r[r != c])
                small_cols.append(c[r != c])
            else:
                columns = self._columns(members)
                jobs.extend((block, columns) for block in _row_blocks(arrays, members_rows))
        parts = [
            Candidates(
                rows=np.concatenate(small_rows or [np.zeros(0, np.int64)]),
                cols=np.concatenate(small_cols or [np.zeros(0, np.int64)]),
            )
        ]
        parts.extend(self._pool.map(lambda job: self._screen(job[0], job[1], k, True), jobs))
        return _merge(parts)

    def _tables(self, rows: IntArray) -> Float32Array:
        """The screening table of `rows`: (d_p + d_r + groups, len(rows)) float32.

        Row j of the table holds, for every row entry, its estimated pattern part against
        pattern set j (then relation sets, then groups), so the estimate of a column is the sum
        of three table rows. Rows that share a set share the computation.
        """
        parts: list[Float32Array] = []
        for ids, make in (
            (self._arrays.patterns.set_id[rows], self._pattern_table.rows),
            (self._arrays.relations.set_id[rows], self._relation_table.rows),
            (self._arrays.groups.group[rows], self._group_table.__getitem__),
        ):
            unique, inverse = np.unique(ids, return_inverse=True)
            parts.append(make(unique)[inverse.reshape(-1)].T)
        # C order: the search gathers whole rows of this table.
        out = np.empty((sum(p.shape[0] for p in parts), len(rows)), dtype=np.float32)
        return np.concatenate(parts, axis=0, out=out)

    def _columns(self, cols: IntArray) -> _Columns:
        """The table keys of the columns `cols` and the sample that bounds the k-th best."""
        keys = np.stack(
            (
                self._arrays.patterns.set_id[cols] + self._offsets[0],
                self._arrays.relations.set_id[cols] + self._offsets[1],
                self._arrays.groups.group[cols] + self._offsets[2],
            )
        )
        step = -(-len(cols) // _SAMPLE)
        return _Columns(index=cols, keys=keys, sample=np.arange(0, len(cols), step))

    def _estimate(self, table: Float32Array, keys: IntArray) -> Float32Array:
        """Estimated scores of the table's rows against the keyed columns: (columns, rows)."""
        out: Float32Array = table[keys[0]]
        out += table[keys[1]]
        out += table[keys[2]]
        return out

    def _eligible(self, rows: IntArray, cols: IntArray, same: bool) -> BoolArray:
        """Which (col, row) cells may be listed: same frame or not, never the entry itself."""
        equal: BoolArray = self._arrays.frame[cols][:, None] == self._arrays.frame[rows][None, :]
        if same:
            equal &= cols[:, None] != rows[None, :]
            return equal
        return ~equal

    def _eligible_pairs(self, rows: IntArray, cols: IntArray, same: bool) -> BoolArray:
        """Which pairs (rows[i], cols[i]) may be listed."""
        equal: BoolArray = self._arrays.frame[rows] == self._arrays.frame[cols]
        if same:
            equal &= rows != cols
            return equal
        return ~equal

    def _screen(self, rows: IntArray, columns: _Columns, k: int, same: bool) -> Candidates:
        """Columns that may be in the top k of each row: a superset of the true lists.

        1. The k-th best estimate over a sample of columns bounds each row's k-th best from
           below (`bound`, less `_EPS`, and never under the threshold less `_EPS`).
        2. Every column is estimated for every row, in cache-sized tiles; those at or above the
           row's bound remain.
        3. Second cut: each row keeps the candidates within `_EPS` of the k-th best estimate
           among them. Every column whose rounded score could rank in the top k survives.
        """
        floor = np.float32(self._arrays.settings.threshold - _EPS)
        table = self._tables(rows)
        sample = columns.sample
        est = self._estimate(table, columns.keys[:, sample]).T.copy()
        est[~self._eligible(rows, columns.index[sample], same).T] = -np.inf
        if len(sample) >= k > 0:
            kth = np.partition(est, len(sample) - k, axis=1)[:, len(sample) - k]
            bound = np.maximum(kth - np.float32(_EPS), floor)
        else:
            bound = np.full(len(rows), floor, dtype=np.float32)
        if len(sample) == len(columns.index):
            r, c = np.nonzero(est >= bound[:, None])
            cand_cols, cand_rows, cand_est = columns.index[c], r, est[r, c]
        else:
            width = len(rows)
            found: list[tuple[IntArray, IntArray, Float32Array]] = []
            # Tiles small enough for the core's cache: the passes over a tile cost a fraction
            # of what they cost streamed through memory.
            for start in range(0, len(columns.index), _TILE):
                keys = columns.keys[:, start : start + _TILE]
                est = self._estimate(table, keys)
                flat = np.flatnonzero(est >= bound)
                c, r = np.divmod(flat, width)
                cols = columns.index[start + c]
                keep = self._eligible_pairs(rows[r], cols, same)
                found.append((cols[keep], r[keep], est.reshape(-1)[flat[keep]]))
            cand_cols = np.concatenate([f[0] for f in found])
            cand_rows = np.concatenate([f[1] for f in found])
            cand_est = np.concatenate([f[2] for f in found])
        order = np.lexsort((-cand_est, cand_rows))
        cand_cols, cand_rows, cand_est = cand_cols[order], cand_rows[order], cand_est[order]
        index = np.arange(len(rows))
        starts = np.searchsorted(cand_rows, index)
        full = np.searchsorted(cand_rows, index, side="right") - starts >= k
        kth_est = np.full(len(rows), -np.inf, dtype=np.float32)
        if k > 0:
            kth_est[full] = cand_est[starts[full] + k - 1]
        cut = np.maximum(kth_est - np.float32(_EPS), floor)
        keep = cand_est >= cut[cand_rows]
        return Candidates(rows=rows[cand_rows[keep]], cols=cand_cols[keep])


def _row_blocks(arrays: CatalogueArrays, rows: IntArray) -> list[IntArray]:
    """Rows in blocks of similar entries (by pattern set, then group, then relation set), so a
    block has few distinct sets and its tables are cheap to gather."""
    order = np.lexsort(
        (arrays.relations.set_id[rows], arrays.groups.group[rows], arrays.patterns.set_id[rows])
    )
    rows = rows[order]
    return [rows[i : i + _BLOCK] for i in range(0, len(rows), _BLOCK)]


def _merge(parts: Sequence[Candidates]) -> Candidates:
    """The candidates of every block, in one pair of arrays."""
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(rows=empty, cols=empty)
    return Candidates(
        rows=np.concatenate([p.rows for p in parts]).astype(np.int64, copy=False),
        cols=np.concatenate([p.cols for p in parts]).astype(np.int64, copy=False),
    )
