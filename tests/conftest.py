"""Fixtures shared by the unit tests."""
import pytest

from layers.factions import load_registry


@pytest.fixture(scope="session")
def registry():
    """The bundled faction registry (read-only in every test that uses it)."""
    return load_registry()
