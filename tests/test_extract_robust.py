"""The extractor never crashes on odd input (empty, no sentences, no places or factions,
Arabic, very long lines, markdown, HTML entities, control characters, absurd numbers) and
stays fast; every quote it gives is a verbatim piece of the input."""
import time
from datetime import date

import pytest

from layers.extract import extract_events
from layers.extract.frame import COLUMNS

PUB = date(2016, 1, 29)
EVENT = "ISIS fighters attacked Jabhat al-Nusra positions in Arsal on Friday, killing seven."

ODD = {
    "empty": "",
    "whitespace": "   \n\n \t \r\n",
    "one word": "Arsal",
    "punctuation only": "....!!!???,,,;;--",
    "no place": "Jabhat al-Nusra attacked Islamic State positions on Friday, killing seven.",
    "no faction": "Fighting erupted in Arsal on Friday, killing seven people.",
    "arabic": "اشتباكات بين جبهة النصرة وتنظيم الدولة في عرسال يوم الجمعة. قتل سبعة مقاتلين.",
    "mixed scripts": "Clashes in عرسال between ISIS and Nusra on Friday killed 7.",
    "markdown": ("# Title\n\n* ISIS attacked Nusra in Arsal on Friday.\n\n**Nusra** [seized](http://x) "
                 "the *Koniko* field last week.\n\n> ISIS clashed with Nusra in Arsal\n\n```\nx\n```"),
    "html entities": "ISIS&#39;s fighters &amp; Nusra clashed in Arsal on Friday &mdash; killing &#x37;.",
    "html tags": "<p>ISIS <b>attacked</b> Nusra in <a href='x'>Arsal</a> on Friday.</p><script>x</script>",
    "control characters": "ISIS attacked\x00 Nusra in Arsal\ufeff on Friday.\r\n\r\nNusra withdrew\u200b.",
    "absurd numbers": ("ISIS killed 99999999999999999999999 people in Arsal on Friday. 1,2,3 were "
                       "killed on 31 February 2014 and on 0 July."),
    "impossible dates": "On the 31st of February 2015 and September 45 ISIS attacked Nusra in Arsal.",
    "line separators": "\u2028\u2029" + "ISIS " * 300 + "attacked " + "Arsal " * 300,
    "nested brackets": "((((([[[[ISIS attacked Nusra in Arsal on Friday]]]])))))",
    "unbalanced quotes": '"ISIS attacked Nusra in Arsal on Friday, \u201ca man said.',
}


@pytest.mark.parametrize("name", list(ODD))
def test_odd_input_gives_a_frame_not_an_error(name):
    text = ODD[name]
    gdf = extract_events(text, PUB, "odd")
    assert list(gdf.columns) == list(COLUMNS)
    for quote in gdf["quote"]:
        assert quote and quote in text, (name, quote)
    assert (gdf["fatalities"] >= 0).all() and (gdf["fatalities"] <= 1_000_000).all()


def test_nothing_to_find_gives_an_empty_frame_with_the_columns():
    for text in ("", "Arsal", ODD["arabic"], ODD["no faction"].replace("Arsal", "the town")):
        gdf = extract_events(text, PUB, "odd")
        assert len(gdf) == 0 and list(gdf.columns) == list(COLUMNS)


def test_a_real_event_survives_markup_around_it():
    for text in (ODD["markdown"], ODD["html tags"], ODD["control characters"]):
        gdf = extract_events(text, PUB, "odd")
        assert "Arsal" in set(gdf["location"]), text


def test_a_very_long_line_is_linear_not_quadratic():
    extract_events(EVENT, PUB, "warm")
    text = " ".join([EVENT[:-1] + " and"] * 3000) + "."     # ~250 000 characters, one sentence
    t0 = time.perf_counter()
    gdf = extract_events(text, PUB, "long")
    assert time.perf_counter() - t0 < 8.0
    assert len(gdf) >= 1


def test_the_four_corpus_articles_take_a_few_seconds():
    from layers.corpus import load_corpus
    from layers.extract import extract_articles

    corpus, _ = load_corpus()
    items = [(a.text, a.published, a.article_id, "") for a in corpus.values()]
    extract_articles(items[:1])
    t0 = time.perf_counter()
    gdf = extract_articles(items)
    assert time.perf_counter() - t0 < 5.0
    assert len(gdf) > 10
