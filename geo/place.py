"""The Place and Resolution records shared by the curated table and the fallbacks."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """A named location with its coordinate and where that coordinate comes from."""

    name: str
    alt_names: tuple[str, ...]
    kind: str
    admin1: str
    country: str
    lat: float
    lon: float
    precision: int
    source: str
    notes: str = ""
    population: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by every alternate spelling."""
        return (self.name, *self.alt_names)


@dataclass
class Resolution:
    """The answer to one name lookup: the place (if any), its score and the runners-up."""

    query: str
    resolved: bool
    place: Place | None = None
    score: float = 0.0
    candidates: list[tuple[Place, float]] = field(default_factory=list)
    via: str = ""

    def to_json(self) -> dict:
        """The object `python -m geo resolve` prints for this lookup."""
        if self.resolved and self.place is not None:
            p = self.place
            return {
                "query": self.query, "resolved": True, "name": p.name,
                "lat": p.lat, "lon": p.lon, "kind": p.kind, "admin1": p.admin1,
                "country": p.country, "precision": p.precision, "source": p.source,
                "score": round(self.score, 1), "via": self.via,
            }
        return {
            "query": self.query, "resolved": False,
            "candidates": [
                {"name": p.name, "score": round(s, 1), "country": p.country,
                 "admin1": p.admin1, "lat": p.lat, "lon": p.lon, "source": p.source}
                for p, s in self.candidates
            ],
        }
