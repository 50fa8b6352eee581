/* FrontsFast: events drawn on one canvas from columnar typed arrays (see layers/fastmap.py).
   Popups are built from DOM text nodes only; no data value is ever parsed as HTML. */
window.FrontsFast = window.FrontsFast || (function () {
  "use strict";
  var TAU = Math.PI * 2;

  function column(c) {
    var bin = atob(c.b), n = bin.length, u8 = new Uint8Array(n);
    for (var i = 0; i < n; i++) u8[i] = bin.charCodeAt(i);
    if (c.t === "u1") return u8;
    return c.t === "u2" ? new Uint16Array(u8.buffer) : new Uint32Array(u8.buffer);
  }

  function decode(d) {
    var n = d.n, x = column(d.x), y = column(d.y);
    var mx = new Float64Array(n), my = new Float64Array(n);
    var lat = new Float64Array(n), lon = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      lon[i] = d.x0 + x[i] * d.dx;
      lat[i] = d.y0 + y[i] * d.dy;
      var s = Math.sin(Math.max(-85.0511, Math.min(85.0511, lat[i])) * Math.PI / 180);
      mx[i] = (lon[i] + 180) / 360;
      my[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }
    var out = {d: d, n: n, lat: lat, lon: lon, mx: mx, my: my, grp: column(d.grp),
               fat: column(d.fat)};
    if (d.mode === "points") {
      out.day = column(d.day); out.kind = column(d.kind); out.loc = column(d.loc);
    } else {
      out.count = column(d.count); out.dmin = column(d.dmin); out.dmax = column(d.dmax);
    }
    // draw order: by group, so each colour is one path
    var order = new Uint32Array(n), starts = new Uint32Array(d.groups.length + 1);
    for (i = 0; i < n; i++) starts[out.grp[i] + 1]++;
    for (i = 0; i < d.groups.length; i++) starts[i + 1] += starts[i];
    var fill = starts.slice(0, d.groups.length);
    for (i = 0; i < n; i++) order[fill[out.grp[i]]++] = i;
    out.order = order; out.starts = starts;
    out.label = d.groups.map(function (combo) {
      return combo.map(function (f) { return d.factions[f][0]; }).join(" / ") || "(no faction)";
    });
    out.colour = d.groups.map(function (combo) {
      return combo.length ? d.factions[combo[0]][1] : "#777777";
    });
    return out;
  }

  function isoDay(day) { return new Date(day * 864e5).toISOString().slice(0, 10); }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function line(parent, label, value) {
    var p = el("div");
    p.appendChild(el("b", label + ": "));
    p.appendChild(document.createTextNode(String(value)));
    parent.appendChild(p);
  }

  var DATE_PREC = {1: "", 2: " (within that week or range)", 3: " (month or coarser)"};
  var PLACE_PREC = {1: "", 2: " (approximate)", 3: " (region)"};

  function pointNode(s, i) {
    var d = s.d, k = d.kinds[s.kind[i]], box = el("div", undefined, "fronts-fast-event");
    box.appendChild(el("div", k[0] + (k[1] ? " \u2014 " + k[1] : ""), "fronts-fast-title"));
    line(box, "Date", isoDay(d.day0 + s.day[i]) + (DATE_PREC[k[2]] || ""));
    line(box, "Factions", s.label[s.grp[i]]);
    line(box, "Place", d.places[s.loc[i]] + (PLACE_PREC[k[3]] || ""));
    line(box, "Fatalities", s.fat[i]);
    if (k[4]) line(box, "Origin", k[4]);
    return box;
  }

  function binNode(s, i) {
    var d = s.d, box = el("div", undefined, "fronts-fast-event");
    box.appendChild(el("div", s.count[i] + " events in this area", "fronts-fast-title"));
    line(box, "Dates", isoDay(d.day0 + s.dmin[i]) + " \u2013 " + isoDay(d.day0 + s.dmax[i]));
    line(box, "Mostly", s.label[s.grp[i]]);
    line(box, "Fatalities", s.fat[i]);
    return box;
  }

  var FastLayer = L.Layer.extend({
    options: {radius: 3, opacity: 0.75, maxList: 8},

    initialize: function (data, options) {
      L.setOptions(this, options);
      this._s = decode(data);
      this._vis = new Uint32Array(0); this._px = new Float32Array(0);
      this._py = new Float32Array(0); this._pr = new Float32Array(0); this._nvis = 0;
    },

    onAdd: function (map) {
      this._map = map;
      var c = this._canvas = L.DomUtil.create("canvas", "fronts-fast leaflet-zoom-animated");
      c.style.pointerEvents = "none";
      c.style.position = "absolute";
      map.getPanes().overlayPane.appendChild(c);
      map.on("moveend resize viewreset", this._schedule, this);
      map.on("zoomanim", this._animateZoom, this);
      map.on("click", this._click, this);
      map.on("mousemove", this._hover, this);
      this._reset();
    },

    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.off("moveend resize viewreset", this._schedule, this);
      map.off("zoomanim", this._animateZoom, this);
      map.off("click", this._click, this);
      map.off("mousemove", this._hover, this);
    },

    getBounds: function () {
      var s = this._s, b = L.latLngBounds([]);
      if (!s.n) return b;
      var lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
      for (var i = 0; i < s.n; i++) {
        lo[0] = Math.min(lo[0], s.lat[i]); lo[1] = Math.min(lo[1], s.lon[i]);
        hi[0] = Math.max(hi[0], s.lat[i]); hi[1] = Math.max(hi[1], s.lon[i]);
      }
      return L.latLngBounds(lo, hi);
    },

    count: function () { return this._s.d.mode === "points" ? this._s.n : this._s.d.events; },

    _animateZoom: function (e) {
      var map = this._map, scale = map.getZoomScale(e.zoom, map.getZoom());
      var offset = map._latLngBoundsToNewLayerBounds(map.getBounds(), e.zoom, e.center).min;
      L.DomUtil.setTransform(this._canvas, offset, scale);
    },

    _schedule: function () {  // one redraw per frame however many events ask for it
      if (this._frame) return;
      var self = this;
      this._frame = L.Util.requestAnimFrame(function () {
        self._frame = null;
        if (self._map) self._reset();
      });
    },

    _reset: function () {
      var map = this._map, size = map.getSize(), c = this._canvas;
      var ratio = window.devicePixelRatio || 1;
      L.DomUtil.setPosition(c, map.containerPointToLayerPoint([0, 0]));
      c.width = Math.round(size.x * ratio); c.height = Math.round(size.y * ratio);
      c.style.width = size.x + "px"; c.style.height = size.y + "px";
      var t0 = performance.now();
      this._draw(size, ratio);
      this.drawMs = performance.now() - t0;
    },

    _draw: function (size, ratio) {
      var s = this._s, d = s.d, map = this._map, ctx = this._canvas.getContext("2d");
      var z = map.getZoom(), scale = 256 * Math.pow(2, z);
      var origin = map.project(map.containerPointToLatLng([0, 0]), z);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      if (this._vis.length < s.n) {
        this._vis = new Uint32Array(s.n); this._px = new Float32Array(s.n);
        this._py = new Float32Array(s.n); this._pr = new Float32Array(s.n);
      }
      var nvis = 0, W = size.x, H = size.y, bins = d.mode === "bins";
      var base = this.options.radius * (z < 7 ? 0.8 : z < 9 ? 1 : 1.4);
      var hexR = bins ? d.radius * scale / 360 : 0;
      var maxCount = 1;
      if (bins) for (var j = 0; j < s.n; j++) maxCount = Math.max(maxCount, s.count[j]);
      ctx.lineWidth = 0.6; ctx.strokeStyle = "rgba(255,255,255,0.8)";
      for (var g = 0; g < d.groups.length; g++) {
        var a = s.starts[g], b = s.starts[g + 1];
        if (a === b) continue;
        ctx.beginPath();
        for (var k = a; k < b; k++) {
          var i = s.order[k];
          var px = s.mx[i] * scale - origin.x, py = s.my[i] * scale - origin.y;
          var r = bins ? hexR : base + Math.min(6, Math.sqrt(s.fat[i]));
          if (px < -r || py < -r || px > W + r || py > H + r) continue;
          if (bins) {
            for (var v = 0; v < 6; v++) {
              var ang = Math.PI / 180 * (60 * v - 30);
              var vx = px + hexR * Math.cos(ang), vy = py + hexR * Math.sin(ang);
              if (v === 0) ctx.moveTo(vx, vy); else ctx.lineTo(vx, vy);
            }
            ctx.closePath();
          } else {
            ctx.moveTo(px + r, py);
            ctx.arc(px, py, r, 0, TAU);
          }
          this._vis[nvis] = i; this._px[nvis] = px; this._py[nvis] = py; this._pr[nvis] = r;
          nvis++;
        }
        ctx.fillStyle = s.colour[g];
        ctx.globalAlpha = this.options.opacity;
        ctx.fill();
        if (z >= 9 || bins) { ctx.globalAlpha = 1; ctx.stroke(); }
      }
      ctx.globalAlpha = 1;
      this._nvis = nvis;
      this._canvas.setAttribute("data-drawn", String(nvis));
    },

    _hits: function (pt) {
      var found = [];
      for (var k = 0; k < this._nvis; k++) {
        var dx = this._px[k] - pt.x, dy = this._py[k] - pt.y, r = this._pr[k] + 3;
        var dist = dx * dx + dy * dy;
        if (dist <= r * r) found.push([dist, this._vis[k]]);
      }
      found.sort(function (p, q) { return p[0] - q[0]; });
      return found.map(function (p) { return p[1]; });
    },

    _hover: function (e) {
      if (this._pending) return;
      this._pending = true;
      var self = this, pt = e.containerPoint;
      L.Util.requestAnimFrame(function () {
        self._pending = false;
        if (!self._map) return;
        self._map.getContainer().style.cursor = self._hits(pt).length ? "pointer" : "";
      });
    },

    _click: function (e) {
      var hits = this._hits(e.containerPoint);
      if (!hits.length) return;
      var s = this._s, box = el("div", undefined, "fronts-fast-popup");
      var shown = hits.slice(0, this.options.maxList);
      shown.forEach(function (i, n) {
        if (n) box.appendChild(el("hr"));
        box.appendChild(s.d.mode === "points" ? pointNode(s, i) : binNode(s, i));
      });
      if (hits.length > shown.length) {
        box.appendChild(el("div", "\u2026 and " + (hits.length - shown.length) +
                               " more here: zoom in", "fronts-fast-more"));
      }
      var i0 = hits[0];
      L.popup({maxWidth: 360, maxHeight: 320})
        .setLatLng([s.lat[i0], s.lon[i0]]).setContent(box).openOn(this._map);
    }
  });

  return {
    layer: function (data, options) { return new FastLayer(data, options); },
    decode: decode
  };
})();
