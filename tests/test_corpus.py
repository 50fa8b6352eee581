"""The corpus loader: metadata and text per article; each bad file or row is reported alone."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from layers.corpus import load_corpus, text_problem

DATA = Path(__file__).parent / "data" / "layers_seeds"
HEADER = ("article_id,file,outlet,author,title,published,published_earliest,published_latest,"
          "date_confidence,date_basis,url,notes\n")


def _seeds(tmp_path: Path, rows: str, files: dict[str, bytes]) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles.csv").write_text(HEADER + rows, encoding="utf-8")
    for name, data in files.items():
        (tmp_path / "articles" / name).write_bytes(data)
    return tmp_path


def _row(aid: str, file: str, published: str = "2014-12-01", extra: str = "") -> str:
    return f"{aid},{file},Outlet,Author,Title {aid},{published},,,confirmed,,,{extra}\n"


def test_fixture_corpus_loads_with_metadata_and_text():
    articles, problems = load_corpus(DATA)
    assert problems == []
    assert list(articles) == ["alpha", "beta"]
    beta = articles["beta"]
    assert beta.published == date(2014, 12, 20)
    assert beta.published_earliest == date(2014, 12, 15)
    assert beta.date_confidence == "estimated"
    assert "Déir ez-Zôr" in beta.text
    assert beta.source == 'Gazette Éditions, "Clashes near Déir ez-Zôr" (2014-12-20)'
    assert "عرسال" in articles["alpha"].text


def test_each_bad_file_is_reported_by_name_and_the_others_load(tmp_path):
    good = "Fighters clashed near Arsal on Friday.\n".encode()
    seeds = _seeds(tmp_path, "".join([
        _row("good", "good.txt"),
        _row("missing", "missing.txt"),
        _row("latin1", "latin1.txt"),
        _row("empty", "empty.txt"),
        _row("binary", "binary.txt"),
        _row("geojson", "geo.txt"),
        _row("json", "data.txt"),
    ]), {
        "good.txt": good,
        "latin1.txt": "Déir ez-Zôr was quiet.".encode("latin-1"),
        "empty.txt": b"  \n\n",
        "binary.txt": b"PK\x03\x04\x00\x00binary",
        "geo.txt": b'{"type": "FeatureCollection", "features": []}',
        "data.txt": b'[{"a": 1}]',
    })
    articles, problems = load_corpus(seeds)
    assert list(articles) == ["good"]
    assert articles["good"].text == good.decode()
    by_row = {p.row: p for p in problems}
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8]  # one problem per bad row, CSV line numbers
    assert all(p.file.endswith("articles.csv") and p.field == "file" for p in problems)
    assert "missing.txt" in by_row[3].message and "not found" in by_row[3].message
    assert "latin1.txt" in by_row[4].message and "UTF-8" in by_row[4].message
    assert "empty" in by_row[5].message
    assert "binary" in by_row[6].message
    assert "GeoJSON FeatureCollection" in by_row[7].message
    assert "JSON" in by_row[8].message
    assert str(by_row[3]).startswith(f"{by_row[3].file}:3: file: article missing:")


def test_bad_metadata_rows_name_row_and_field(tmp_path):
    ok = b"Some article text.\n"
    seeds = _seeds(tmp_path, "".join([
        _row("a1", "a.txt"),
        _row("a2", "a.txt", published="2014-02-30"),
        _row("a1", "a.txt"),
        "a4,a.txt,Outlet,Author,Title\n",
        _row("a5", "a.txt", published="14/12/2014"),
        "a6,a.txt,Outlet,,Title,2014-12-10,2014-12-12,2014-12-20,estimated,why,,\n",
        "a7,a.txt,Outlet,,Title,2014-12-10,,,guessed,,,\n",
    ]), {"a.txt": ok})
    articles, problems = load_corpus(seeds)
    assert list(articles) == ["a1"]
    found = {(p.row, p.field) for p in problems}
    assert (3, "published") in found          # 30 February does not exist
    assert (4, "article_id") in found         # duplicate id
    assert any(p.row == 5 and "fields" in p.message for p in problems)  # missing columns
    assert (6, "published") in found          # not ISO
    assert (7, "published") in found          # outside its own window
    assert (8, "date_confidence") in found
    dup = next(p for p in problems if p.row == 4)
    assert "first on line 2" in dup.message


def test_missing_metadata_file_is_a_problem_not_a_crash(tmp_path):
    articles, problems = load_corpus(tmp_path)
    assert articles == {}
    assert len(problems) == 1 and "not found" in problems[0].message
    assert problems[0].file.endswith("articles.csv")


def test_text_problem_accepts_prose_that_starts_with_a_bracket():
    assert text_problem("[Reuters] Fighting resumed in Arsal.") is None
    assert text_problem("{not json} but a headline") is None


def test_real_corpus_reports_the_geojson_file_and_loads_the_others():
    articles, problems = load_corpus()
    assert len(articles) == 4
    assert "almonitor_2014_12_16" not in articles
    assert [p.row for p in problems] == [2]
    assert "000_9842be73de27cc0c.txt" in problems[0].message
    assert "GeoJSON" in problems[0].message
    for article in articles.values():
        assert "FeatureCollection" not in article.text
        assert len(article.text) > 1000
    assert articles["dailystar_2016_01_29"].published == date(2016, 1, 29)


def test_copied_real_articles_survive_a_missing_sibling(tmp_path):
    real = Path(__file__).resolve().parent.parent / "seeds"
    shutil.copytree(real / "articles", tmp_path / "articles")
    shutil.copy(real / "articles.csv", tmp_path / "articles.csv")
    (tmp_path / "articles" / "001_b48055da36ed794a.txt").unlink()
    articles, problems = load_corpus(tmp_path)
    assert len(articles) == 3
    assert any("001_b48055da36ed794a.txt" in p.message and "not found" in p.message
               for p in problems)


@pytest.mark.parametrize("text, reason", [
    ("", "empty"), ("a\x00b", "binary"),
    ('{"type": "Feature", "geometry": null, "properties": {}}', "GeoJSON Feature"),
])
def test_text_problem_reasons(text, reason):
    assert reason in text_problem(text)
