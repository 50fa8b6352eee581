"""Events -> GeoDataFrames -> filters, exports, map.

Public surface (imported lazily so ``import layers`` stays cheap):
``Problem``, ``CatalogError``, ``Article``, ``load_corpus``, ``FactionRegistry``,
``load_registry``, ``load_events``, ``Filters``, ``filter_events``, ``write_events``,
``to_bytes``.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "Problem": "_errors",
    "CatalogError": "_errors",
    "Article": "corpus",
    "load_corpus": "corpus",
    "FactionRegistry": "factions",
    "load_registry": "factions",
    "load_events": "catalog",
    "Filters": "filters",
    "filter_events": "filters",
    "write_events": "export",
    "to_bytes": "export",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'layers' has no attribute {name!r}")
