"""`python -m geo resolve` and `python -m geo mentions`: the JSON-lines contract."""
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(*args):
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=120)


def test_resolve_prints_one_object_per_name():
    out = run("resolve", "Aarsal", "Palmyra", "Kassab", "Zzzyzx Qwerty")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(l) for l in out.stdout.splitlines()]
    assert [l["query"] for l in lines] == ["Aarsal", "Palmyra", "Kassab", "Zzzyzx Qwerty"]
    arsal, palmyra, kassab, unknown = lines
    assert arsal["resolved"] and arsal["country"] == "LB" and abs(arsal["lat"] - 34.18) < 0.05
    for key in ("name", "lat", "lon", "kind", "admin1", "country", "precision", "source", "score"):
        assert key in arsal
    assert palmyra["resolved"] and abs(palmyra["lat"] - 34.56) < 0.05 and abs(palmyra["lon"] - 38.27) < 0.05
    assert kassab["resolved"] and kassab["source"] == "geonames:168519"     # not in the curated table
    assert unknown == {"query": "Zzzyzx Qwerty", "resolved": False, "candidates": unknown["candidates"]}


def test_mentions_reports_bad_files_and_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Fighting resumed near Arsal and in the Qalamoun on Friday.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes("Arsal".encode("utf-16"))
    out = run("mentions", str(bad), str(tmp_path / "missing.txt"), str(good))
    assert out.returncode == 1
    assert "bad.txt" in out.stderr and "missing.txt" in out.stderr
    lines = [json.loads(l) for l in out.stdout.splitlines()]
    assert {l["file"] for l in lines} == {str(good)}
    arsal = next(l for l in lines if l["surface"] == "Arsal")
    assert set(arsal) == {"file", "surface", "start", "end", "name", "lat", "lon"}
    assert good.read_text()[arsal["start"]:arsal["end"]] == "Arsal"
