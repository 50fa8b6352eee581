"""Scale bench: load+filter, memory, map payloads, exports and time to an interactive map.

Run from the repository root (about 3-5 minutes; synthetic files are made on first use):

    .venv/bin/python -m bench.scale            # everything
    .venv/bin/python -m bench.scale --no-browser --sizes 100000

Each load+filter runs in a fresh subprocess so its peak memory (ru_maxrss) is its own.
Results are printed and written to bench/out/scale.json.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

OUT = REPO / "bench" / "out"
COMMAND = ".venv/bin/python -m bench.scale"
#: The filter used for "load + filter": two years, two factions, one type.
FILTER = {"start": "2014-01-01", "end": "2015-12-31", "factions": ["nusra", "is"],
          "types": ["Battles"]}
CLUSTER_CALLBACK = ("function (row) { return L.circleMarker(new L.LatLng(row[0], row[1]), "
                    "{radius: 4, color: '#333', weight: 1}); }")


def synth_path(n: int) -> Path:
    from bench.synth_acled import write_synth

    path = OUT / f"acled_synth_{n}.csv"
    if not path.exists():
        write_synth(n, OUT)
    return path


# ---------------------------------------------------------------- subprocess measurements

def _child_load(n: int, what: str) -> dict:
    """Runs in a fresh interpreter: one measurement and the process's peak memory."""
    from layers import acled_store
    from layers.acled import events_from_acled
    from layers.filters import filter_events

    path = synth_path(n)
    result = {}
    t0 = time.perf_counter()
    if what == "convert":  # from scratch: drop an earlier conversion of this file
        old = acled_store.cache_path(path, OUT / "cache")
        for stale in (old, old.with_suffix(".problems.json")):
            stale.unlink(missing_ok=True)
        t0 = time.perf_counter()
        parquet, problems = acled_store.convert(path, cache_dir=OUT / "cache")
        result.update(seconds=time.perf_counter() - t0, problems=len(problems),
                      parquet_mb=parquet.stat().st_size / 1e6)
    elif what == "scan":
        gdf, _ = acled_store.scan_events(path, cache_dir=OUT / "cache", **FILTER)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        gdf, _ = acled_store.scan_events(path, cache_dir=OUT / "cache", **FILTER)
        t1 = time.perf_counter()
        full, _ = acled_store.scan_events(path, cache_dir=OUT / "cache")
        result.update(first_seconds=first, seconds=t1 - t0, rows=len(gdf), all_seconds=time.perf_counter() - t1,
                      all_rows=len(full))
    elif what == "csv":  # no store: parse the CSV, build the frame, filter in pandas
        full, _ = events_from_acled(path)
        gdf = filter_events(full, **FILTER)
        result.update(seconds=time.perf_counter() - t0, rows=len(gdf))
    result["peak_mb"] = peak_mb()
    return result


def peak_mb() -> float:
    """Peak resident memory of this process (VmHWM; ru_maxrss would include the parent's
    before exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(n: int, what: str) -> dict:
    code = ("import json, sys; sys.path.insert(0, %r); from bench.scale import _child_load; "
            "print(json.dumps(_child_load(%d, %r)))" % (str(REPO), n, what))
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- maps


def _base():
    from layers.mapview import base_map

    m = base_map(None, basemap=False)
    m.options["max_zoom"] = 18  # markercluster needs the map's maxZoom when there are no tiles
    return m


def fast_page(gdf, registry):
    from layers.fastmap import fast_map

    return fast_map(gdf, registry, m=_base())


def naive_page(gdf):
    """folium's one-CircleMarker-per-event map, with a popup each (the reference)."""
    import folium

    from layers.mapview import esc

    m = _base()
    for lat, lon, loc, etype, day in zip(gdf["latitude"], gdf["longitude"], gdf["location"],
                                         gdf["event_type"], gdf["event_date"]):
        folium.CircleMarker([lat, lon], radius=4, weight=1,
                            popup=f"{esc(day)} {esc(etype)} {esc(loc)}").add_to(m)
    return m


def cluster_page(gdf):
    """folium's FastMarkerCluster (one [lat, lon] array, clustered in the browser)."""
    from folium.plugins import FastMarkerCluster

    from layers.mapview import offline_assets

    m = _base()
    assets = offline_assets()
    cluster = FastMarkerCluster(gdf[["latitude", "longitude"]].to_numpy().tolist(),
                                callback=CLUSTER_CALLBACK)
    cluster.default_js = assets["cluster_js"]
    cluster.default_css = assets["cluster_css"]
    cluster.add_to(m)
    return m


def build(label: str, make, n: int, path: Path) -> dict:
    t0 = time.perf_counter()
    m = make()
    html = m.get_root().render()
    seconds = time.perf_counter() - t0
    path.write_text(html, encoding="utf-8")
    return {"map": label, "events": n, "build_s": seconds, "bytes": len(html),
            "bytes_per_event": len(html) / n, "file": path.name}


# ---------------------------------------------------------------- browser

def browser_times(pages: dict[str, Path], fast_swap_data: str | None, repeat: int = 2) -> dict:
    """Seconds from navigation to an interactive map, per page (best of `repeat`)."""
    from bench._browser import chromium, serve

    ready = {
        "fast": "() => { const c = document.querySelector('canvas.fronts-fast');"
                " return c && c.dataset.drawn; }",
        "cluster": "() => document.querySelectorAll('.marker-cluster').length > 0",
        "naive": "() => document.querySelectorAll('path.leaflet-interactive').length >= %d",
    }
    results: dict[str, dict] = {}
    with serve({k: v for k, v in pages.items()}) as base:
        for name, path in pages.items():
            kind, n = Path(name).stem.split("-")
            times = []
            for _ in range(repeat):
                with chromium() as page:
                    t0 = time.perf_counter()
                    page.goto(f"{base}/{name}", wait_until="commit")
                    cond = ready[kind] % int(n) if kind == "naive" else ready[kind]
                    page.wait_for_function(cond, timeout=180_000, polling=50)
                    times.append(time.perf_counter() - t0)
                    row = {"interactive_s": min(times), "blocked": len(page.blocked),
                           "errors": page.errors[:3]}
                    row.update(_interaction(page, kind))
                    if kind == "fast" and fast_swap_data:
                        row["swap_ms"] = page.evaluate(_SWAP_JS, fast_swap_data)
                    if len(times) == repeat:
                        page.screenshot(path=str(OUT / f"{Path(name).stem}.png"))
            results[Path(name).stem] = row
    return results


_MAP = "(() => { for (const k in window) if (/^map_[0-9a-f]+$/.test(k)) return window[k]; })()"
_SWAP_JS = """async (data) => {
  const map = %s; let old = null;
  for (const k in window) if (/^fast_events_/.test(k)) old = window[k];
  const t0 = performance.now();
  const layer = window.FrontsFast.layer(JSON.parse(data), {});
  map.removeLayer(old); layer.addTo(map);
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0; }""" % _MAP


def _interaction(page, kind: str) -> dict:
    """Milliseconds for a zoom in and a pan (until two frames have painted)."""
    js = """async () => {
      const map = %s; const frames = () => new Promise(r =>
          requestAnimationFrame(() => requestAnimationFrame(r)));
      let t0 = performance.now();
      map.setZoom(map.getZoom() + 1, {animate: false}); await frames();
      const zoom = performance.now() - t0;
      t0 = performance.now();
      map.panBy([200, 120], {animate: false}); await frames();
      return [zoom, performance.now() - t0]; }""" % _MAP
    zoom, pan = page.evaluate(js)
    return {"zoom_ms": zoom, "pan_ms": pan}


# ---------------------------------------------------------------- main

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Scale bench (see module docstring).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    report: dict = {"command": COMMAND + (" " + " ".join(argv) if argv else ""),
                    "machine": f"{platform.machine()}, {platform.python_version()}, "
                               f"{_cpus()} CPUs", "filter": FILTER}
    print(f"# reproduce: {report['command']}   ({report['machine']})")
    print(f"# filter: {json.dumps(FILTER)}")
    for n in (1_000, 10_000, *args.sizes):
        t0 = time.perf_counter()
        path = synth_path(n)
        report.setdefault("files", {})[n] = {"mb": path.stat().st_size / 1e6}
    print("\n## load + filter (fresh process each; peak = VmHWM of that process)")
    loads = report["load"] = {}
    for n in args.sizes:
        conv = measure(n, "convert")
        scan = measure(n, "scan")
        row = loads[n] = {"convert": conv, "scan": scan}
        print(f"{n:>9,} events: CSV -> GeoParquet once {conv['seconds']:6.2f} s "
              f"(peak {conv['peak_mb']:5.0f} MB, {conv['parquet_mb']:.0f} MB file) | "
              f"load+filter {scan['first_seconds']:6.3f} s first, {scan['seconds']:6.3f} s again"
              f" -> {scan['rows']:,} rows "
              f"(peak {scan['peak_mb']:5.0f} MB) | load all {scan['all_seconds']:6.3f} s")
        if n <= 100_000:
            csv_row = row["csv_no_store"] = measure(n, "csv")
            print(f"{'':>17}without the store (parse CSV + pandas filter) "
                  f"{csv_row['seconds']:6.2f} s -> ratio {csv_row['seconds'] / scan['seconds']:.0f}x")

    print("\n## map payload (HTML of the whole page)")
    from layers.acled_store import scan_events
    from layers.export import write_events
    from layers.factions import load_registry

    registry = load_registry()
    g100, _ = scan_events(synth_path(100_000), cache_dir=OUT / "cache")
    g10, _ = scan_events(synth_path(10_000), cache_dir=OUT / "cache")
    for warm in (fast_page(g10.iloc[:100], registry), cluster_page(g10.iloc[:100]),
                 naive_page(g10.iloc[:100])):  # imports and template compilation
        warm.get_root().render()
    maps = report["maps"] = [
        build("fastmap", lambda: fast_page(g100, registry), len(g100), OUT / "fast-100000.html"),
        build("FastMarkerCluster", lambda: cluster_page(g100), len(g100), OUT / "cluster-100000.html"),
        build("CircleMarker per event", lambda: naive_page(g10), len(g10), OUT / "naive-10000.html"),
        build("fastmap", lambda: fast_page(g10, registry), len(g10), OUT / "fast-10000.html"),
    ]
    for row in maps:
        print(f"{row['map']:>24} {row['events']:>8,} events: build {row['build_s']:6.2f} s, "
              f"{row['bytes'] / 1e6:6.2f} MB, {row['bytes_per_event']:7.1f} B/event")
    fast, cluster, naive, fast10 = maps
    print(f"{'ratios':>24} at 100k vs FastMarkerCluster: build "
          f"{cluster['build_s'] / fast['build_s']:.1f}x faster, bytes "
          f"{cluster['bytes_per_event'] / fast['bytes_per_event']:.2f}x smaller; at 10k vs "
          f"CircleMarkers: build {naive['build_s'] / fast10['build_s']:.0f}x faster, bytes "
          f"{naive['bytes_per_event'] / fast10['bytes_per_event']:.0f}x smaller")

    print("\n## export of filtered events")
    sub = g100.iloc[:100_000]
    exports = report["export"] = {}
    for ext in ("geojson", "gpkg"):
        target = OUT / f"export-100k.{ext}"
        target.unlink(missing_ok=True)
        t0 = time.perf_counter()
        write_events(sub, target)
        exports[ext] = {"events": len(sub), "seconds": time.perf_counter() - t0,
                        "mb": target.stat().st_size / 1e6}
        print(f"{ext:>8}: {len(sub):,} events in {exports[ext]['seconds']:.2f} s "
              f"({exports[ext]['mb']:.0f} MB)")

    print("\n## filter change with fastmap (Python: filtered read of the map's columns + payload)")
    from layers.fastmap import js_json, payload

    t0 = time.perf_counter()
    from layers.fastmap import MAP_COLUMNS

    changed, _ = scan_events(synth_path(100_000), cache_dir=OUT / "cache",
                             start="2013-01-01", end="2018-12-31", columns=MAP_COLUMNS)
    data = js_json(payload(changed, registry))
    py_s = time.perf_counter() - t0
    report["filter_change"] = {"events": len(changed), "python_s": py_s}
    print(f"   {len(changed):,} events: {py_s:.3f} s")

    if not args.no_browser:
        print("\n## chromium (navigation -> interactive map; best of 2; non-loopback blocked)")
        pages = {f"{k}.html": OUT / f"{k}.html"
                 for k in ("fast-100000", "cluster-100000", "naive-10000")}
        b = report["browser"] = browser_times(pages, data)
        for name, row in b.items():
            extra = f", filter swap {row['swap_ms']:.0f} ms" if "swap_ms" in row else ""
            print(f"{name:>15}: interactive {row['interactive_s']:6.2f} s, zoom "
                  f"{row['zoom_ms']:5.0f} ms, pan {row['pan_ms']:5.0f} ms{extra} "
                  f"(blocked {row['blocked']}, errors {len(row['errors'])})")
        f, c = b["fast-100000"], b["cluster-100000"]
        print(f"{'ratios':>15}: FastMarkerCluster/fastmap at 100k "
              f"{c['interactive_s'] / f['interactive_s']:.1f}x; CircleMarkers at 10k / "
              f"fastmap at 100k {b['naive-10000']['interactive_s'] / f['interactive_s']:.1f}x")
        total = py_s + f["swap_ms"] / 1000
        report["filter_change"]["total_s"] = total
        print(f"{'filter change':>15}: {total:.2f} s from new filter to redrawn map "
              f"({len(changed):,} events; Python {py_s:.2f} s + browser "
              f"{f['swap_ms'] / 1000:.2f} s)")
    (OUT / "scale.json").write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    print(f"\n# written {OUT / 'scale.json'}")
    return 0


def _cpus() -> int:
    import os
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


if __name__ == "__main__":
    raise SystemExit(main())
