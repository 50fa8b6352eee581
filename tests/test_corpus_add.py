"""Tests of layers.corpus.add_article: a good article is written and loads; bad input is
refused with an error naming the field, and nothing is left behind."""
from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

from layers.corpus import ArticleError, add_article, load_corpus

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "tests" / "e2e" / "seeds"
TEXT = ("ARSAL -- Nusra Front fighters attacked a Lebanese Army checkpoint in Arsal on "
        "Tuesday, killing at least three soldiers, a security source said.\n")


@pytest.fixture
def seeds(tmp_path):
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


def snapshot(seeds: Path) -> tuple:
    return ((seeds / "articles.csv").read_bytes(), sorted(p.name for p in (seeds / "articles").iterdir()))


def test_good_article_is_written_quoted_and_loads(seeds):
    title = 'Clashes in Arsal, "army posts" hit'
    art = add_article(TEXT, outlet="Fixture Wire", title=title, published="2014-08-05",
                      author="A. Reporter", url="https://example.org/a?b=1", seeds_dir=seeds)
    assert art.article_id == "fixture_wire_2014_08_05"
    assert art.published == date(2014, 8, 5) and art.title == title and art.text == TEXT
    assert (seeds / "articles" / "fixture_wire_2014_08_05.txt").read_text(encoding="utf-8") == TEXT
    rows = list(csv.DictReader(open(seeds / "articles.csv", encoding="utf-8", newline="")))
    assert rows[-1]["title"] == title and rows[-1]["url"] == "https://example.org/a?b=1"
    assert rows[-1]["date_confidence"] == "confirmed"
    corpus, problems = load_corpus(seeds)
    assert list(corpus)[-1] == art.article_id and corpus[art.article_id] == art
    assert problems == []  # the other rows still load as before
    assert {"alpha", "beta", "gamma"} <= set(corpus)


def test_a_path_and_bytes_are_accepted(seeds, tmp_path):
    f = tmp_path / "new.txt"
    f.write_text(TEXT.replace("Tuesday", "Wednesday"), encoding="utf-8")
    a = add_article(f, outlet="Wire", title="One", published=date(2015, 1, 2), seeds_dir=seeds)
    b = add_article(TEXT.encode("utf-8"), outlet="Wire", title="Two",
                    published="2015-01-02", seeds_dir=seeds)
    # the same outlet and day twice: the second id gets a suffix
    assert (a.article_id, b.article_id) == ("wire_2015_01_02", "wire_2015_01_02_2")
    assert "Wednesday" in a.text


def test_duplicate_text_or_id_is_refused(seeds):
    add_article(TEXT, outlet="Wire", title="First", published="2014-08-05", seeds_dir=seeds)
    before = snapshot(seeds)
    with pytest.raises(ArticleError, match="^text: the same text is already article 'wire_2014_08_05'"):
        add_article("  " + TEXT.replace(" ", "  "), outlet="Other", title="Again",
                    published="2014-08-06", seeds_dir=seeds)
    with pytest.raises(ArticleError) as err:
        add_article(TEXT + "More.", outlet="Wire", title="First", published="2014-08-05",
                    seeds_dir=seeds)
    assert err.value.field == "article_id" and "duplicate" in str(err.value)
    with pytest.raises(ArticleError, match="^article_id: duplicate id 'alpha'"):
        add_article("Other text.", outlet="Wire", title="X", published="2014-08-05",
                    article_id="alpha", seeds_dir=seeds)
    assert snapshot(seeds) == before


@pytest.mark.parametrize("published", ["2014-13-01", "05/08/2014", "", "2014-02-30", None])
def test_bad_date_names_the_field(seeds, published):
    before = snapshot(seeds)
    with pytest.raises(ArticleError) as err:
        add_article(TEXT, outlet="Wire", title="T", published=published, seeds_dir=seeds)
    assert err.value.field == "published" and str(err.value).startswith("published: ")
    assert snapshot(seeds) == before


@pytest.mark.parametrize("content, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not valid UTF-8|binary"),
    ("text with a NUL \x00 byte", "binary content"),
    ('{"type": "FeatureCollection", "features": []}', "GeoJSON FeatureCollection"),
    ('[1, 2, 3]', "JSON data"),
    ("", "empty"),
    ("   \n\t\n", "empty"),
])
def test_unusable_text_is_refused(seeds, content, reason):
    before = snapshot(seeds)
    with pytest.raises(ArticleError, match=rf"^text: .*({reason})") as err:
        add_article(content, outlet="Wire", title="T", published="2014-08-05", seeds_dir=seeds)
    assert err.value.field == "text"
    assert snapshot(seeds) == before


@pytest.mark.parametrize("kwargs, field", [
    ({"outlet": "  "}, "outlet"),
    ({"title": ""}, "title"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"date_confidence": "guessed"}, "date_confidence"),
    ({"date_confidence": "estimated"}, "date_basis"),
    ({"article_id": "Bad Id"}, "article_id"),
])
def test_other_bad_fields_are_named(seeds, kwargs, field):
    args = {"outlet": "Wire", "title": "T", "published": "2014-08-05", **kwargs}
    with pytest.raises(ArticleError) as err:
        add_article(TEXT, seeds_dir=seeds, **args)
    assert err.value.field == field


def test_metadata_with_commas_quotes_and_newlines_round_trips(seeds):
    art = add_article(TEXT, outlet='Hostile <b>Press</b>, "Co"', title="Line one\nline, two",
                      published="2014-08-05", author='O\'Brien "Q"', seeds_dir=seeds)
    corpus, problems = load_corpus(seeds)
    assert problems == []
    got = corpus[art.article_id]
    assert got.outlet == 'Hostile <b>Press</b>, "Co"' and got.title == "Line one line, two"
    assert got.author == 'O\'Brien "Q"'


def test_file_without_final_newline_gets_one(seeds):
    path = seeds / "articles.csv"
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    art = add_article(TEXT, outlet="Wire", title="T", published="2014-08-05", seeds_dir=seeds)
    corpus, problems = load_corpus(seeds)
    assert problems == [] and art.article_id in corpus and "gamma" in corpus


def _cli(*args):
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "layers", "add-article", *map(str, args)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)


def test_cli_prints_the_new_id_and_names_bad_fields(seeds, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    res = _cli(f, "--outlet", "Fixture Wire", "--title", "Arsal, again", "--published",
               "2014-08-05", "--author", "A. R.", "--url", "https://example.org/x",
               "--seeds", seeds)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "fixture_wire_2014_08_05"
    assert "fixture_wire_2014_08_05" in load_corpus(seeds)[0]
    again = _cli(f, "--outlet", "X", "--title", "Y", "--published", "2014-08-06", "--seeds", seeds)
    assert again.returncode == 2 and again.stderr.startswith("error: text: the same text")
    bad = _cli(f, "--outlet", "X", "--title", "Y", "--published", "2014-8-6", "--seeds", seeds)
    assert bad.returncode == 2 and bad.stderr.startswith("error: published: ")
    gone = _cli(tmp_path / "nope.txt", "--outlet", "X", "--title", "Y", "--published",
                "2014-08-06", "--seeds", seeds)
    assert gone.returncode == 2 and "no such file" in gone.stderr
