/* desk live operations map (一屏纵览): layers, deltas and the bridge to Python.
 *
 * The page is built once. Python sends commands over QWebChannel (bridge.command, a JSON array of
 * {op: ...} objects); the page applies them to existing markers and answers through bridge slots.
 * Layer data is columnar (ids[], lat[], lon[] ...), and a delta addresses markers by their index
 * in those arrays, so a 2,000-unit move is one flat number array: [i, lat, lon, heading, ...].
 */
(function () {
  'use strict';

  // Order matches desk.ui.map.data.UNIT_STATUSES / WATER_KINDS / WATER_LEVELS.
  var STATUS_COLORS = ['#2ecc71', '#f5a623', '#3498db', '#ff4d4f', '#b37feb', '#7f8c8d'];
  var WATER_LEVEL_COLORS = ['#6c7a89', '#3fa9f5', '#f1c40f', '#e67e22', '#ff3b30'];
  var WATER_KIND_STROKE = ['#ffffff', '#ff79c6', '#8be9fd', '#50fa7b', '#6d8bd8', '#c39bff'];
  // Duty-post staffing now (desk.ui.map.data.POST_STAFFING): not needed, full, short, empty.
  var POST_STAFF_COLORS = ['#8a96a3', '#2ecc71', '#f5a623', '#ff4d4f'];
  var OFFICER_COLOR = '#ff66ff';
  var POINT_STYLES = {
    posts: {radius: 4, color: '#1b1f24', weight: 1, fillColor: '#f5d76e', fillOpacity: 0.95},
    rooms: {radius: 7, color: '#ffffff', weight: 2, fillColor: '#8e44ad', fillOpacity: 0.95},
    cases: {radius: 8, color: '#ffffff', weight: 2, fillColor: '#ff3b30', fillOpacity: 0.95},
    overlay: {radius: 7, color: '#ffffff', weight: 2, fillColor: '#00d1ff', fillOpacity: 0.9}
  };
  var LABEL_MIN_ZOOM = 13;
  var PLACE_MIN_ZOOM = 14;

  var D = window.deskMap = {
    palette: {status: STATUS_COLORS, waterLevel: WATER_LEVEL_COLORS, waterKind: WATER_KIND_STROKE},
    postPalette: POST_STAFF_COLORS,
    map: null, bridge: null, layers: {}, data: {}, markers: {}, canvas: {},
    filters: {units: null, cameras: 'all', water: null},
    follow: -1, lastSeq: 0, queue: [], basemapInfo: null, errors: []
  };

  // A circle marker with a short heading tick, drawn on the same canvas in the same pass.
  var UnitMarker = L.CircleMarker.extend({
    _updateBounds: function () {
      var r = this._radius * 2.3 + 2, p = this._point;
      this._pxBounds = new L.Bounds(p.subtract([r, r]), p.add([r, r]));
    },
    _updatePath: function () {
      var renderer = this._renderer;
      renderer._updateCircle(this);
      var h = this.options.heading;
      if (h === null || h === undefined || !renderer._drawing || this._empty()) { return; }
      var ctx = renderer._ctx, p = this._point, r = this._radius, a = h * Math.PI / 180;
      var sx = Math.sin(a), sy = Math.cos(a);
      ctx.beginPath();
      ctx.moveTo(p.x + sx * r, p.y - sy * r);
      ctx.lineTo(p.x + sx * r * 2.3, p.y - sy * r * 2.3);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = this.options.fillColor;
      ctx.globalAlpha = this.options.stale ? 0.5 : 1;
      ctx.setLineDash([]);
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
  });

  // Duty posts are diamonds: their staffing colours (green/amber/red) are also unit-status colours,
  // so the shape is what tells a post from a unit.
  var PostMarker = L.CircleMarker.extend({
    _updateBounds: function () {
      var r = this._radius * 1.35 + this._clickTolerance(), p = this._point;
      this._pxBounds = new L.Bounds(p.subtract([r, r]), p.add([r, r]));
    },
    _updatePath: function () {
      var renderer = this._renderer;
      if (!renderer._drawing || this._empty()) { return; }
      var ctx = renderer._ctx, p = this._point, s = this._radius * 1.3;
      ctx.beginPath();
      ctx.moveTo(p.x, p.y - s);
      ctx.lineTo(p.x + s, p.y);
      ctx.lineTo(p.x, p.y + s);
      ctx.lineTo(p.x - s, p.y);
      ctx.closePath();
      renderer._fillStroke(ctx, this);
    }
  });

  function unitStyle(st, stale) {
    var c = STATUS_COLORS[st] || STATUS_COLORS[5];
    if (stale) {
      return {color: '#c0c8d0', weight: 1.5, opacity: 0.9, fillColor: c, fillOpacity: 0.25,
              dashArray: '2,3', stale: true};
    }
    return {color: '#0b0f14', weight: 1.5, opacity: 1, fillColor: c, fillOpacity: 0.95,
            dashArray: null, stale: false};
  }

  function cameraStyle(on) {
    // Cameras are context, not actors: muted so the units stand out.
    return on ? {radius: 3.5, color: '#0b0f14', weight: 1, fillColor: '#9fb4c8', fillOpacity: 0.9}
              : {radius: 3.5, color: '#0b0f14', weight: 1, fillColor: '#4d5866', fillOpacity: 0.8};
  }

  function waterStyle(kind, lvl) {
    return {radius: 6.5, color: WATER_KIND_STROKE[kind] || '#ffffff', weight: 2, opacity: 1,
            fillColor: WATER_LEVEL_COLORS[lvl] || WATER_LEVEL_COLORS[0], fillOpacity: 0.95};
  }

  function postStyle(staff) {
    // A post that needs nobody now is context: small and muted. Short and empty posts are what a
    // dispatcher must see, so they are the largest.
    var s = staff || 0;
    return {radius: s === 0 ? 4.5 : (s === 1 ? 6 : 7), color: '#e8eef4', weight: 1.5, opacity: s === 0 ? 0.6 : 1,
            fillColor: POST_STAFF_COLORS[s] || POST_STAFF_COLORS[0], fillOpacity: s === 0 ? 0.7 : 0.95};
  }

  function send(name) {
    var args = Array.prototype.slice.call(arguments, 1);
    if (D.bridge && D.bridge[name]) { D.bridge[name].apply(D.bridge, args); }
  }

  window.addEventListener('error', function (e) {
    D.errors.push(String(e.message));
    send('jsError', String(e.message) + ' @' + e.lineno);
  });

  // -- set-up ------------------------------------------------------------------------------------

  D.init = function (map) {
    D.map = map;
    // folium passes zoom limits only to tile layers (we have none); MarkerCluster needs them.
    map.setMinZoom(3);
    map.setMaxZoom(19);
    if (map.attributionControl) { map.attributionControl.setPrefix(false); }
    L.control.scale({imperial: false}).addTo(map);
    // Camera clusters sit below the units: the units are what a dispatcher acts on.
    var panes = {basemapPane: 210, labelsPane: 320, ringsPane: 430, clusterPane: 445, unitsPane: 460,
                 selectPane: 470};
    Object.keys(panes).forEach(function (name) {
      map.createPane(name).style.zIndex = panes[name];
    });
    map.getPane('labelsPane').style.pointerEvents = 'none';
    map.getPane('ringsPane').style.pointerEvents = 'none';
    map.getPane('selectPane').style.pointerEvents = 'none';
    D.canvas.base = L.canvas({pane: 'basemapPane', padding: 0.5});
    D.canvas.points = L.canvas({padding: 0.3});
    // Small padding: this canvas is redrawn for every delta, and its area is the cost.
    D.canvas.units = L.canvas({pane: 'unitsPane', padding: 0.1});

    D.layers.units = L.featureGroup().addTo(map);
    D.layers.cameras = L.markerClusterGroup({
      chunkedLoading: true, chunkInterval: 100, chunkDelay: 10, clusterPane: 'clusterPane',
      chunkProgress: function (done, total) {
        if (done >= total && D.clusterDone) { var f = D.clusterDone; D.clusterDone = null; f(); }
      },
      disableClusteringAtZoom: 16, showCoverageOnHover: false, spiderfyOnMaxZoom: false,
      removeOutsideVisibleBounds: true, animate: false, maxClusterRadius: 60,
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount();
        var size = n < 100 ? 26 : (n < 1000 ? 32 : 38);
        return L.divIcon({html: '<div><span>' + n + '</span></div>', className: 'desk-cluster',
                          iconSize: [size, size]});
      }
    }).addTo(map);
    ['water', 'posts', 'rooms', 'cases'].forEach(function (name) {
      D.layers[name] = L.featureGroup().addTo(map);
    });
    D.layers.rings = L.layerGroup().addTo(map);
    D.layers.select = L.layerGroup().addTo(map);
    D.layers.officer = L.layerGroup().addTo(map);
    D.officer = null;
    D.layers.labels = L.layerGroup();
    D.layers.places = L.layerGroup();
    D.overlays = {};

    ['units', 'cameras', 'water', 'posts', 'rooms', 'cases'].forEach(function (name) {
      D.layers[name].on('click', function (e) { D.clicked(name, e.layer); });
      D.layers[name].on('mouseover', function (e) { D.hover(name, e.layer); });
      D.layers[name].on('mouseout', function () { D.unhover(); });
    });
    D.tip = L.tooltip({direction: 'top', offset: [0, -8], className: 'desk-tip'});

    map.on('contextmenu', function (e) {
      send('contextMenu', e.latlng.lat, e.latlng.lng, Math.round(e.containerPoint.x),
           Math.round(e.containerPoint.y));
    });
    map.on('zoomend', D.updateLabels);
    map.on('dragstart', function () {
      if (D.follow >= 0) { D.follow = -1; send('followStopped'); }
    });

    new QWebChannel(qt.webChannelTransport, function (channel) {
      D.bridge = channel.objects.bridge;
      D.bridge.command.connect(D.onCommand);
      D.bridge.ready();
    });
  };

  // -- commands from Python ----------------------------------------------------------------------

  D.onCommand = function (text) {
    var cmds = JSON.parse(text);
    for (var k = 0; k < cmds.length; k++) {
      var c = cmds[k];
      var fn = D.ops[c.op];
      if (!fn) { send('jsError', 'unknown op ' + c.op); continue; }
      try { fn(c); } catch (err) { send('jsError', c.op + ': ' + err + ' ' + (err.stack || '')); }
    }
  };

  D.ops = {
    basemap: function (c) { D.setBasemap(c); },
    state: function (c) {
      var t0 = performance.now();
      // First paint counts only when MarkerCluster has finished its chunked loading too.
      var clustered = new Promise(function (resolve) { D.clusterDone = resolve; });
      Object.keys(c.layers).forEach(function (name) { D.setLayerData(name, c.layers[name]); });
      if (!(c.layers.cameras && c.layers.cameras.ids.length) && D.clusterDone) { D.clusterDone(); }
      var built = performance.now() - t0;
      var finish = function () {
        requestAnimationFrame(function () {
          var info = D.counts();
          info.build_ms = built;
          send('loaded', JSON.stringify(info));
        });
      };
      Promise.all([clustered, D.basemapReady || null]).then(finish, finish);
    },
    layer: function (c) { D.setLayerData(c.name, c.data); },
    delta: function (c) { D.applyDelta(c); },
    visible: function (c) { D.setVisible(c.name, c.on); },
    filter: function (c) { D.setFilter(c); },
    fly: function (c) {
      var z = c.zoom || D.map.getZoom();
      if (c.instant) { D.map.setView([c.lat, c.lon], z, {animate: false}); }
      else { D.map.flyTo([c.lat, c.lon], z, {duration: 0.6}); }
    },
    fit: function (c) { D.map.fitBounds([[c.s, c.w], [c.n, c.e]], {maxZoom: 16}); },
    follow: function (c) { D.follow = c.i; D.followNow(); },
    rings: function (c) { D.showRings(c); },
    clearRings: function () { D.layers.rings.clearLayers(); },
    select: function (c) { D.select(c.layer, c.i, c.lat, c.lon); },
    overlay: function (c) { D.setOverlay(c.id, c.features); },
    officer: function (c) { D.showOfficer(c); },
    clearOfficer: function () { D.clearOfficer(); },
    removeOverlay: function (c) {
      if (D.overlays[c.id]) { D.map.removeLayer(D.overlays[c.id]); delete D.overlays[c.id]; }
    }
  };

  // -- basemap -----------------------------------------------------------------------------------

  function basemapStyle(f) {
    var p = f.properties || {};
    switch (p.layer) {
      case 'district': return {color: '#34495e', weight: 1.2, opacity: 0.9, fillColor: '#172331',
                               fillOpacity: 1, dashArray: '4,4'};
      case 'road': return p['class'] === 'express'
        ? {color: '#8a7a4f', weight: 5, opacity: 0.95}
        : {color: '#4a5a6e', weight: 3, opacity: 0.95};
      case 'river': return {color: '#1f5f8b', weight: 3, opacity: 0.9};
      case 'railway': return {color: '#6d6d6d', weight: 2, opacity: 0.9, dashArray: '6,4'};
      case 'reservoir': return {color: '#1f5f8b', weight: 1, fillColor: '#123e5c', fillOpacity: 0.9};
      default: return {color: '#3a4a5a', weight: 1};
    }
  }

  function middle(coords) {
    var c = coords[Math.floor(coords.length / 2)];
    return [c[1], c[0]];
  }

  D.setBasemap = function (b) {
    if (D.basemapLayer) { D.map.removeLayer(D.basemapLayer); D.basemapLayer = null; }
    D.layers.labels.clearLayers();
    D.layers.places.clearLayers();
    D.basemapInfo = b;
    D.map.getContainer().style.background = '#0e1621';
    if (b.kind === 'vector') {
      D.basemapReady = fetch(b.url).then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.json();
      }).then(function (gj) {
        D.basemapLayer = L.geoJSON(gj, {
          renderer: D.canvas.base, pane: 'basemapPane', interactive: false, style: basemapStyle,
          filter: function (f) { return f.geometry && f.geometry.type !== 'Point'; }
        }).addTo(D.map);
        var seen = {};
        (gj.features || []).forEach(function (f) {
          var p = f.properties || {}, g = f.geometry || {};
          if (!p.name) { return; }
          if (p.layer === 'road' || p.layer === 'river') {
            var line = g.type === 'MultiLineString' ? g.coordinates[0] : g.coordinates;
            if (!line || line.length < 2) { return; }
            var key = p.name + ':' + Math.round(middle(line)[0] * 50);
            if (seen[key]) { return; }
            seen[key] = true;
            L.marker(middle(line), {pane: 'labelsPane', interactive: false, keyboard: false,
              icon: L.divIcon({className: 'desk-road-label ' + p.layer, html: '<span>' + p.name + '</span>',
                               iconSize: null})}).addTo(D.layers.labels);
          } else if (p.layer === 'place' && g.type === 'Point') {
            L.marker([g.coordinates[1], g.coordinates[0]], {pane: 'labelsPane', interactive: false,
              keyboard: false, icon: L.divIcon({className: 'desk-place-label',
                html: '<span>' + p.name + '</span>', iconSize: null})}).addTo(D.layers.places);
          } else if (p.layer === 'district') {
            var b2 = L.geoJSON(f).getBounds().getCenter();
            L.marker(b2, {pane: 'labelsPane', interactive: false, keyboard: false,
              icon: L.divIcon({className: 'desk-district-label', html: '<span>' + p.name + '</span>',
                               iconSize: null})}).addTo(D.layers.labels);
          }
        });
        D.updateLabels();
        send('basemapLoaded', b.kind);
      }).catch(function (err) {
        send('basemapFailed', String(err));
      });
      return;
    }
    D.basemapReady = null;
    var loads = 0, errors = 0, reported = false;
    var layer = L.tileLayer(b.url, {minZoom: b.minZoom || 3, maxZoom: b.maxZoom || 19,
                                    attribution: b.attribution || ''});
    layer.on('tileload', function () { loads += 1; });
    layer.on('tileerror', function () {
      errors += 1;
      // A source that never delivers a tile is dead; a few misses beside good tiles are just gaps.
      // (MBTiles were validated when opened; a missing tile there is just outside its coverage.)
      if (b.failover && !reported && loads === 0 && errors >= 6) {
        reported = true;
        send('basemapFailed', 'tiles: ' + b.url);
      }
    });
    D.basemapLayer = layer.addTo(D.map);
    send('basemapLoaded', b.kind);
  };

  D.updateLabels = function () {
    var z = D.map.getZoom();
    var want = z >= LABEL_MIN_ZOOM - 1;
    if (want && !D.map.hasLayer(D.layers.labels)) { D.map.addLayer(D.layers.labels); }
    if (!want && D.map.hasLayer(D.layers.labels)) { D.map.removeLayer(D.layers.labels); }
    var places = z >= PLACE_MIN_ZOOM;
    if (places && !D.map.hasLayer(D.layers.places)) { D.map.addLayer(D.layers.places); }
    if (!places && D.map.hasLayer(D.layers.places)) { D.map.removeLayer(D.layers.places); }
  };

  // -- layer data ---------------------------------------------------------------------------------

  D.setLayerData = function (name, data) {
    D.data[name] = data;
    var n = data.ids.length, i, mk, list = new Array(n);
    if (name === 'units') {
      D.layers.units.clearLayers();
      D.markers.units = list;
      for (i = 0; i < n; i++) { list[i] = data.lat[i] === null ? null : D.makeUnit(i); }
      D.refilter('units');
    } else if (name === 'cameras') {
      for (i = 0; i < n; i++) {
        var cs = cameraStyle(data.on[i]);
        cs.renderer = D.canvas.points;
        mk = L.circleMarker([data.lat[i], data.lon[i]], cs);
        mk.deskIndex = i;
        list[i] = mk;
      }
      D.markers.cameras = list;
      D.refilter('cameras');
    } else if (name === 'water') {
      D.layers.water.clearLayers();
      for (i = 0; i < n; i++) {
        var ws = waterStyle(data.kind[i], data.lvl[i]);
        ws.renderer = D.canvas.points;
        mk = L.circleMarker([data.lat[i], data.lon[i]], ws);
        mk.deskIndex = i;
        list[i] = mk;
      }
      D.markers.water = list;
      D.refilter('water');
    } else {
      var layer = D.layers[name];
      layer.clearLayers();
      for (i = 0; i < n; i++) {
        if (name === 'posts') {
          mk = new PostMarker([data.lat[i], data.lon[i]],
                              L.extend({renderer: D.canvas.points}, postStyle(data.staff && data.staff[i])));
        } else {
          mk = L.circleMarker([data.lat[i], data.lon[i]],
                              L.extend({renderer: D.canvas.points}, POINT_STYLES[name] || POINT_STYLES.overlay));
        }
        mk.deskIndex = i;
        list[i] = mk;
        layer.addLayer(mk);
      }
      D.markers[name] = list;
    }
  };

  D.makeUnit = function (i) {
    var data = D.data.units, style = unitStyle(data.st[i], data.stale[i]);
    style.renderer = D.canvas.units;
    style.radius = 6;
    style.heading = data.hdg[i];
    var mk = new UnitMarker([data.lat[i], data.lon[i]], style);
    mk.deskIndex = i;
    return mk;
  };

  D.unitVisible = function (i) {
    var f = D.filters.units;
    return !f || f.indexOf(D.data.units.st[i]) >= 0;
  };

  D.waterVisible = function (i) {
    var f = D.filters.water;
    return !f || f.indexOf(D.data.water.kind[i]) >= 0;
  };

  D.cameraVisible = function (i) {
    var f = D.filters.cameras, on = D.data.cameras.on[i];
    return f === 'all' || (f === 'online' && on) || (f === 'offline' && !on);
  };

  D.refilter = function (name) {
    var list = D.markers[name] || [], i, keep = [];
    if (name === 'cameras') {
      D.layers.cameras.clearLayers();
      for (i = 0; i < list.length; i++) { if (D.cameraVisible(i)) { keep.push(list[i]); } }
      D.layers.cameras.addLayers(keep);
      return;
    }
    var layer = D.layers[name];
    var test = name === 'units' ? D.unitVisible : D.waterVisible;
    for (i = 0; i < list.length; i++) {
      var mk = list[i];
      if (!mk) { continue; }
      var want = test(i), has = layer.hasLayer(mk);
      if (want && !has) { layer.addLayer(mk); } else if (!want && has) { layer.removeLayer(mk); }
    }
  };

  D.setFilter = function (c) {
    if (JSON.stringify(D.filters[c.layer]) === JSON.stringify(c.value)) { return; }
    D.filters[c.layer] = c.value;
    D.refilter(c.layer);
  };

  D.setVisible = function (name, on) {
    var layer = name.indexOf('overlay:') === 0 ? D.overlays[name.slice(8)] : D.layers[name];
    if (!layer) { return; }
    if (on && !D.map.hasLayer(layer)) { D.map.addLayer(layer); }
    if (!on && D.map.hasLayer(layer)) { D.map.removeLayer(layer); }
  };

  // -- live deltas -------------------------------------------------------------------------------

  D.applyDelta = function (d) {
    var t0 = performance.now();
    var k, i, mk, u = d.u, data = D.data.units, list = D.markers.units || [];
    if (u && data) {
      for (k = 0; k < u.length; k += 4) {
        i = u[k]; mk = list[i];
        var h = u[k + 3] < 0 ? null : u[k + 3];
        data.lat[i] = u[k + 1]; data.lon[i] = u[k + 2]; data.hdg[i] = h;
        if (!mk) {
          // A unit without a position until now: its first fix creates its marker.
          mk = list[i] = D.makeUnit(i);
          if (D.unitVisible(i)) { D.layers.units.addLayer(mk); }
          continue;
        }
        mk.options.heading = h;
        mk.setLatLng([u[k + 1], u[k + 2]]);
      }
    }
    if (d.us && data) {
      for (k = 0; k < d.us.length; k += 2) {
        i = d.us[k]; data.st[i] = d.us[k + 1]; D.restyleUnit(i);
      }
    }
    if (d.ust && data) {
      for (k = 0; k < d.ust.length; k += 2) {
        i = d.ust[k]; data.stale[i] = d.ust[k + 1]; D.restyleUnit(i);
      }
    }
    if (d.w && D.data.water) {
      var wd = D.data.water;
      for (k = 0; k < d.w.length; k += 3) {
        i = d.w[k]; wd.lvl[i] = d.w[k + 1]; wd.depth[i] = d.w[k + 2];
        mk = D.markers.water[i];
        if (mk) { mk.setStyle(waterStyle(wd.kind[i], wd.lvl[i])); }
      }
    }
    if (d.c && D.data.cameras) {
      var cd = D.data.cameras;
      for (k = 0; k < d.c.length; k += 2) {
        i = d.c[k]; cd.on[i] = d.c[k + 1];
        mk = D.markers.cameras[i];
        if (mk) { mk.setStyle(cameraStyle(cd.on[i])); }
      }
      if (D.filters.cameras !== 'all') { D.refilter('cameras'); }
    }
    if (d.ps && D.data.posts) {
      var pd = D.data.posts;
      for (k = 0; k < d.ps.length; k += 2) {
        i = d.ps[k]; pd.staff[i] = d.ps[k + 1];
        mk = D.markers.posts[i];
        if (mk) { mk.setStyle(postStyle(pd.staff[i])); }  // CircleMarker.setStyle takes radius too
      }
    }
    if (D.follow >= 0) { D.followNow(); }
    if (u && D.officer && D.officer.unit >= 0) { D.placeOfficerUnit(); }
    D.lastSeq = d.seq;
    D.lastApplyMs = performance.now() - t0;
    send('ack', d.seq);
    requestAnimationFrame(function () { send('painted', d.seq); });
  };

  D.restyleUnit = function (i) {
    var mk = D.markers.units[i], data = D.data.units;
    if (!mk) { return; }
    mk.setStyle(unitStyle(data.st[i], data.stale[i]));
    var want = D.unitVisible(i), has = D.layers.units.hasLayer(mk);
    if (want && !has) { D.layers.units.addLayer(mk); } else if (!want && has) { D.layers.units.removeLayer(mk); }
  };

  D.followNow = function () {
    var mk = D.follow >= 0 ? D.markers.units[D.follow] : null;
    if (mk) { D.map.panTo(mk.getLatLng(), {animate: false}); }
  };

  // -- interaction -------------------------------------------------------------------------------

  D.label = function (name, i) {
    var d = D.data[name];
    if (!d) { return ''; }
    if (name === 'units') { return d.cs[i]; }
    if (name === 'water') {
      var depth = d.depth[i];
      return d.name[i] + (depth === null || depth === undefined ? '' : '　' + depth.toFixed(1) + ' cm');
    }
    return d.name ? d.name[i] : d.ids[i];
  };

  D.hover = function (name, layer) {
    if (layer.deskIndex === undefined) { return; }
    D.tip.setLatLng(layer.getLatLng()).setContent(D.label(name, layer.deskIndex));
    D.tip.addTo(D.map);
  };

  D.unhover = function () { if (D.map.hasLayer(D.tip)) { D.map.removeLayer(D.tip); } };

  D.clicked = function (name, layer) {
    if (layer.deskIndex === undefined) { return; }
    var i = layer.deskIndex;
    send('clicked', name, String(D.data[name].ids[i]));
    var ll = layer.getLatLng();
    D.select(name, i, ll.lat, ll.lng);
  };

  D.select = function (name, i, lat, lon) {
    D.layers.select.clearLayers();
    if (lat === undefined || lat === null) {
      var mk = D.markers[name] && D.markers[name][i];
      if (!mk) { return; }
      var ll = mk.getLatLng();
      lat = ll.lat; lon = ll.lng;
    }
    L.circleMarker([lat, lon], {pane: 'selectPane', radius: 15, color: '#00e5ff', weight: 3,
                               fill: false, interactive: false, className: 'desk-select'})
      .addTo(D.layers.select);
  };

  // Where an officer is assigned (selected on the duty board): rings around the posts of the
  // current or next assignment, the officer's unit if it has a position, a line between them.
  D.showOfficer = function (c) {
    D.clearOfficer();
    var g = D.layers.officer, pts = [];
    D.officer = {posts: c.posts.map(function (p) { return p.id; }), unit: c.unit, line: null, ring: null};
    c.posts.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], {pane: 'selectPane', radius: 13, color: OFFICER_COLOR, weight: 3,
                                      fill: false, interactive: false}).addTo(g);
      L.marker([p.lat, p.lon], {pane: 'selectPane', interactive: false, keyboard: false,
        icon: L.divIcon({className: 'desk-officer-label', html: '<span>' + p.label + '</span>',
                         iconSize: null})}).addTo(g);
      pts.push([p.lat, p.lon]);
    });
    if (c.unit >= 0 && D.markers.units && D.markers.units[c.unit]) {
      var ll = D.markers.units[c.unit].getLatLng();
      D.officer.ring = L.circleMarker(ll, {pane: 'selectPane', radius: 10, color: OFFICER_COLOR, weight: 2,
                                           dashArray: '3,3', fill: false, interactive: false}).addTo(g);
      if (pts.length) {
        D.officer.line = L.polyline([ll, pts[0]], {pane: 'selectPane', color: OFFICER_COLOR, weight: 1.5,
                                                   dashArray: '6,4', interactive: false}).addTo(g);
      }
      pts.push([ll.lat, ll.lng]);
    } else {
      D.officer.unit = -1;
    }
    if (c.fly === false || !pts.length) { return; }
    if (pts.length === 1) { D.map.flyTo(pts[0], Math.max(D.map.getZoom(), 16), {duration: 0.6}); }
    else { D.map.flyToBounds(pts, {maxZoom: 16, padding: [60, 60], duration: 0.6}); }
  };

  D.placeOfficerUnit = function () {
    var o = D.officer, mk = D.markers.units[o.unit];
    if (!mk || !o.ring) { return; }
    var ll = mk.getLatLng();
    o.ring.setLatLng(ll);
    if (o.line) { var pts = o.line.getLatLngs(); o.line.setLatLngs([ll, pts[1]]); }
  };

  D.clearOfficer = function () { D.layers.officer.clearLayers(); D.officer = null; };

  D.officerMark = function () {
    if (!D.officer) { return null; }
    var u = D.officer.ring ? D.officer.ring.getLatLng() : null;
    return {posts: D.officer.posts, unit: D.officer.unit, unitLat: u ? u.lat : null, unitLon: u ? u.lng : null,
            rings: D.layers.officer.getLayers().length};
  };

  D.showRings = function (c) {
    var g = D.layers.rings;
    g.clearLayers();
    var colors = ['#ff4d4f', '#faad14', '#52c41a'];
    for (var k = c.radii.length - 1; k >= 0; k--) {
      L.circle([c.lat, c.lon], {radius: c.radii[k], pane: 'ringsPane', color: colors[k] || '#ffffff',
                                weight: 2, dashArray: '6,6', fillColor: colors[k], fillOpacity: 0.05,
                                interactive: false}).addTo(g);
      var north = L.latLng(c.lat + c.radii[k] / 111320, c.lon);
      L.marker(north, {pane: 'ringsPane', interactive: false, icon: L.divIcon({
        className: 'desk-ring-label', html: '<span>' + c.labels[k] + '</span>', iconSize: null})}).addTo(g);
    }
    (c.units || []).forEach(function (u) {
      L.polyline([[c.lat, c.lon], [u[0], u[1]]], {pane: 'ringsPane', color: '#00e5ff', weight: 1.5,
                                                   opacity: 0.8, interactive: false}).addTo(g);
    });
    L.circleMarker([c.lat, c.lon], {pane: 'ringsPane', radius: 5, color: '#ffffff', weight: 2,
                                    fillColor: '#00e5ff', fillOpacity: 1, interactive: false}).addTo(g);
  };

  D.setOverlay = function (id, features) {
    var g = D.overlays[id];
    if (!g) {
      g = D.overlays[id] = L.featureGroup().addTo(D.map);
      g.on('click', function (e) { send('clicked', 'overlay:' + id, String(e.layer.deskId)); });
      g.on('mouseover', function (e) {
        D.tip.setLatLng(e.layer.getLatLng()).setContent(e.layer.deskLabel || '');
        D.tip.addTo(D.map);
      });
      g.on('mouseout', D.unhover);
    }
    g.clearLayers();
    features.forEach(function (f) {
      var st = L.extend({renderer: D.canvas.points}, POINT_STYLES.overlay);
      if (f.color) { st.fillColor = f.color; }
      if (f.radius) { st.radius = f.radius; }
      var mk = L.circleMarker([f.lat, f.lon], st);
      mk.deskId = f.id;
      mk.deskLabel = f.label || f.id;
      g.addLayer(mk);
    });
  };

  // -- for tests and the benchmark ---------------------------------------------------------------

  D.counts = function () {
    var out = {};
    ['units', 'water', 'posts', 'rooms', 'cases'].forEach(function (name) {
      out[name] = D.layers[name].getLayers().length;
    });
    out.cameras = D.layers.cameras.getLayers().length;
    out.overlays = {};
    Object.keys(D.overlays).forEach(function (id) { out.overlays[id] = D.overlays[id].getLayers().length; });
    return out;
  };

  D.postStaffing = function () {
    var d = D.data.posts, out = {};
    if (!d) { return out; }
    for (var i = 0; i < d.ids.length; i++) {
      var mk = D.markers.posts[i];
      out[d.ids[i]] = {staff: d.staff[i], fill: mk ? mk.options.fillColor : null};
    }
    return out;
  };

  D.unitAt = function (i) {
    var mk = D.markers.units[i];
    if (!mk) { return null; }
    var ll = mk.getLatLng();
    return {lat: ll.lat, lon: ll.lng, heading: mk.options.heading, fill: mk.options.fillColor,
            stale: !!mk.options.stale, visible: D.layers.units.hasLayer(mk)};
  };
})();
