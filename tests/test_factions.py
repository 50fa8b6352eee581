"""Faction registry: loading, validation and whole-word alias matching with acronym case rules."""
from __future__ import annotations

from pathlib import Path

import pytest

from layers._errors import CatalogError
from layers.factions import is_acronym, load_registry

DATA = Path(__file__).parent / "data" / "layers_seeds" / "factions.csv"
HEADER = "id,name,aliases,kind,parent,colour,notes\n"


@pytest.fixture(scope="module")
def reg():
    registry = load_registry(DATA, strict=True)
    return registry


def test_fixture_registry_loads(reg):
    assert reg.ids == ["nusra", "is", "isi", "lebanese_army", "regime", "civilians"]
    assert reg.name("nusra") == "Jabhat al-Nusra"
    assert reg.colour("is") == "#000000"
    assert reg.colour("unknown") == "#777777"
    assert reg.get("nope") is None
    assert reg.get("lebanese_army").aliases == ("Lebanese Armed Forces", "LAF")


def test_acronyms_match_case_sensitively_words_case_insensitively(reg):
    assert reg.match("This is what it is.") == []
    assert reg.match("IS fighters withdrew.") == ["is"]
    assert reg.match("the islamic state and the nusra front") == ["is", "nusra"]
    assert reg.match("ISIS-Nusra clashes resume") == ["is", "nusra"]


def test_whole_words_only(reg):
    assert reg.match("ISISland Nusrat Daeshi JNX") == []
    assert reg.match("Daesh's men, and JN.") == ["is", "nusra"]


def test_longest_alias_wins(reg):
    assert reg.match("the Islamic State of Iraq attacked") == ["isi"]
    assert reg.match("the Islamic State of Iraq and the Levant attacked") == ["is"]
    assert reg.match("Nusra Front and the Islamic State") == ["nusra", "is"]


def test_aliases_match_across_line_breaks_and_curly_quotes(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(HEADER + "aq,al-Qaeda,al-Qa'ida;Qaeda central,jihadist,,#111111,\n",
                    encoding="utf-8")
    reg = load_registry(path, strict=True)
    assert reg.match("fighters of al-Qa\u2019ida said") == ["aq"]
    assert reg.resolve("Al-qa\u2019ida") == "aq"
    assert reg.match("the fighters of al-\nQa'ida") == []
    assert reg.match("as Qaeda\n  central said") == ["aq"]


def test_resolve(reg):
    assert reg.resolve("Nusra Front") == "nusra"
    assert reg.resolve("nusra front") == "nusra"
    assert reg.resolve("  Jabhat   al-Nusra ") == "nusra"
    assert reg.resolve("ISIL") == "is"
    assert reg.resolve("isil") is None          # acronyms are case-sensitive
    assert reg.resolve("lebanese_army") == "lebanese_army"
    assert reg.resolve("Hezbollah") is None


def test_bad_rows_are_reported_and_skipped(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(HEADER + "\n".join([
        "ok,Good Group,GG,rebel,,#123456,",
        "Bad-Id,Bad,,rebel,,#123456,",
        "ok,Again,,rebel,,#123456,",
        "red,Red,,rebel,,red,",
        "dup,Duplicate,GG,rebel,,#654321,",
        "child,Child,,rebel,nobody,#abcdef,",
        "short,Short",
    ]) + "\n", encoding="utf-8")
    reg = load_registry(path)
    assert reg.ids == ["ok", "child"]
    found = {(p.row, p.field) for p in reg.problems}
    assert {(3, "id"), (4, "id"), (5, "colour"), (6, "aliases"), (7, "parent")} <= found
    assert any(p.row == 8 and "fields" in p.message for p in reg.problems)
    with pytest.raises(CatalogError) as err:
        load_registry(path, strict=True)
    assert len(err.value.problems) == len(reg.problems)
    assert isinstance(err.value, ValueError)


def test_is_acronym():
    assert is_acronym("IS") and is_acronym("ISIS") and is_acronym("SAA")
    assert not is_acronym("Daesh") and not is_acronym("al-Nusra") and not is_acronym("1")


def test_real_registry_loads_cleanly_and_matches_article_wording():
    reg = load_registry(strict=True)
    for fid in ("nusra", "is", "fsa", "hezbollah", "lebanese_army", "regime",
                "jaysh_al_islam", "ahrar_al_sham", "islamic_front"):
        assert reg.get(fid) is not None, fid
    text = ("Daesh fighters seized a Nusra camp; the Lebanese Army shelled them. "
            "This is the Free Syrian Army's view.")
    assert reg.match(text) == ["is", "nusra", "lebanese_army", "fsa"]
