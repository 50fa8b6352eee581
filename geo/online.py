"""Opt-in online fallback: geopy's Nominatim geocoder behind an on-disk JSON cache.

Off by default (the app and tests are offline); enable with FRONTS_GEOCODER=nominatim.
Results are limited to Syria and Lebanon and cached, so each name is asked for once.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from geopy.geocoders import Nominatim

from . import settings
from .place import Place

USER_AGENT = "syria-fronts-map (research; offline-first)"


class NominatimFallback:
    """Geocode names unknown to the offline data; remember every answer (hits and misses)."""

    def __init__(self, url: str = settings.NOMINATIM_URL,
                 cache_path: Path = settings.GEOCODE_CACHE, timeout: float = 10.0,
                 countries: tuple[str, ...] = settings.FALLBACK_COUNTRIES):
        parts = urlsplit(url)
        self.geocoder = Nominatim(user_agent=USER_AGENT, domain=parts.netloc + parts.path.rstrip("/"),
                                  scheme=parts.scheme or "https", timeout=timeout)
        self.cache_path = Path(cache_path)
        self.countries = [c.lower() for c in countries]
        self.url = url
        self._cache = self._load()

    def _load(self) -> dict:
        if self.cache_path.exists():
            try:
                return json.loads(self.cache_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return {}
        return {}

    def _save(self) -> None:
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._cache, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.cache_path)

    def geocode(self, name: str) -> Place | None:
        """The best Nominatim match for `name` in the configured countries, or None."""
        key = name.strip().casefold()
        if key not in self._cache:
            loc = self.geocoder.geocode(name, country_codes=self.countries, addressdetails=True,
                                        exactly_one=True)
            self._cache[key] = None if loc is None else loc.raw
            self._save()
        raw = self._cache[key]
        if raw is None:
            return None
        address = raw.get("address") or {}
        return Place(
            name=raw.get("name") or raw.get("display_name", name).split(",")[0],
            alt_names=(), kind=raw.get("addresstype") or raw.get("type") or "area",
            admin1=address.get("state", ""), country=(address.get("country_code") or "").upper(),
            lat=float(raw["lat"]), lon=float(raw["lon"]), precision=2,
            source=f"nominatim:{raw.get('osm_type', '')}/{raw.get('osm_id', '')}",
            notes=f"online geocoder ({self.url}); check before relying on it",
        )
