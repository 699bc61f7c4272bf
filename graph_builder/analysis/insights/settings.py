"""Site config -> the knobs of every insight computation (resolution, seeds, limits, counts)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["InsightSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class InsightSettings:
    """The knobs of the insight computations, with their defaults.

    `resolution` is Louvain's: above 1 favours more, smaller families; below 1 fewer, larger ones.
    Louvain runs `louvain_runs` times (seeds `seed`, `seed + 1`, …) on catalogues of up to
    `louvain_runs_limit` entries and keeps the best partition, once above (about 0.2 s a run
    at 2,000 entries). Betweenness is exact up to `exact_betweenness_limit` nodes and estimated
    from `betweenness_samples` source nodes (chosen with `seed`) above it, which keeps its cost
    linear in the catalogue size (about 0.09 s at 2,000 entries, against 1.5 s exact).
    """

    resolution: float = 1.0
    seed: int = 20240601
    louvain_runs: int = 4
    louvain_runs_limit: int = 500
    min_family_size: int = 2
    signature_size: int = 8
    bridge_count: int = 10
    exact_betweenness_limit: int = 500
    betweenness_samples: int = 100
    surprising_count: int = 15
    missing_combination_count: int = 20
    #: URIs of the open data files the site publishes, which the insights page links to.
    published: tuple[str, ...] = ()
