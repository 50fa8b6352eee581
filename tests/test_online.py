"""The opt-in Nominatim fallback, exercised against a stub server on 127.0.0.1."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from geo import Gazetteer
from geo.online import NominatimFallback

DATA = Path(__file__).parent / "data"
ANSWERS = {
    "jaroud qara": [{"lat": "34.20", "lon": "36.62", "name": "Jaroud Qara",
                     "display_name": "Jaroud Qara, Rif Dimashq, Syria", "addresstype": "hamlet",
                     "osm_type": "node", "osm_id": 42,
                     "address": {"state": "Rif Dimashq", "country_code": "sy"}}],
}


class _Stub(BaseHTTPRequestHandler):
    calls: list = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        query = parse_qs(urlsplit(self.path).query)
        _Stub.calls.append(query)
        body = json.dumps(ANSWERS.get(query.get("q", [""])[0].lower(), [])).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Stub.calls.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_geocodes_through_the_stub_and_caches(stub, tmp_path):
    cache = tmp_path / "geocode.json"
    fb = NominatimFallback(url=stub, cache_path=cache)
    place = fb.geocode("Jaroud Qara")
    assert place is not None and place.country == "SY" and place.lat == pytest.approx(34.20)
    assert place.source == "nominatim:node/42" and place.precision == 2
    assert _Stub.calls[0]["countrycodes"] == ["sy,lb"]
    again = NominatimFallback(url=stub, cache_path=cache).geocode("Jaroud Qara")
    assert again == place and len(_Stub.calls) == 1          # the second answer came from disk


def test_misses_are_cached_too(stub, tmp_path):
    fb = NominatimFallback(url=stub, cache_path=tmp_path / "c.json")
    assert fb.geocode("Nowhere at all") is None
    assert fb.geocode("Nowhere at all") is None
    assert len(_Stub.calls) == 1


def test_gazetteer_uses_it_only_when_offline_data_fails(stub, tmp_path):
    fb = NominatimFallback(url=stub, cache_path=tmp_path / "c.json")
    gz = Gazetteer.from_csv(DATA / "geo_places.csv", regions=DATA / "geo_regions.geojson", online=fb)
    assert gz.resolve("Aarsal").via == "curated" and not _Stub.calls
    res = gz.resolve("Jaroud Qara")
    assert res.resolved and res.via == "nominatim" and res.place.name == "Jaroud Qara"


def test_default_gazetteer_is_offline(monkeypatch):
    from geo import settings
    assert settings.ONLINE_GEOCODER in ("", "none")
