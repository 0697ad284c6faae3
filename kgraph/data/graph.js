// kgraph's page script. Every piece of data reaches the page as text (textContent,
// setAttribute("title")), never as markup; the only links are http(s) addresses, set as href.
// window.kgraph exposes the state for tests, with labelBoxes() and discBoxes(): the boxes of
// the labels drawn and of the discs, in page pixels.
//
// Labels are drawn by this script, not by vis-network, at a fixed screen size: at every zoom
// a label is drawn only where it overlaps no label drawn before it and no other entity's disc.
// They are placed in one order: the hovered, searched or selected entity and its neighbours
// first, then kgraph's order of importance (the order of data.nodes: most articles, then most
// links), the same order the layout and the choice of drawn entities use.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const N = data.nodes;
  const E = data.edges;
  const A = data.articles;
  const $ = (id) => document.getElementById(id);
  const api = (window.kgraph = { data: data, ready: false });

  // -- small DOM helpers: text only --------------------------------------------------------
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function articleText(d) {
    if (d < 0 || d >= A.length) return "";
    return A[d][1] ? A[d][0] + " (" + A[d][1] + ")" : A[d][0];
  }
  // A link only for an http(s) address (the data holds no other, and this checks again).
  function safeHref(u) { return typeof u === "string" && /^https?:\/\/[^\s]/i.test(u) && !/[\x00-\x1f\x7f]/.test(u) ? u : ""; }
  function fmtQ(q) { return q === null || q === undefined ? "–" : q === 0 ? "< 1e-300" : q < 0.001 ? q.toExponential(1) : String(Math.round(q * 1000) / 1000); }
  function fmtX(x) { return x === null || x === undefined ? "–" : (Math.round(x * 10) / 10).toFixed(1); }
  const UNIT = data.statsUnit === "sentence" ? "sentence" : "article";
  // the figure that decides the backbone: q, or p for a corpus tested by sentence (see kgraph.stats)
  const TEST = UNIT === "sentence" ? "p" : "q";
  function test(e) { return UNIT === "sentence" ? e.p : e.q; }
  function shorten(s, n) { return s.length > n ? s.slice(0, n - 1) + "…" : s; }

  // -- types, colours, sizes ---------------------------------------------------------------
  const typeOf = Object.create(null); // keyed by type names from the data: no prototype to collide with
  data.types.forEach((t) => { typeOf[t.key] = t; });
  const typeOn = Object.create(null);
  data.types.forEach((t) => { typeOn[t.key] = true; });
  const FONT = { color: "#222", strokeWidth: 3, strokeColor: "#ffffff" };
  const DIM_FONT = { color: "rgba(40,40,40,0.25)", strokeWidth: 0, strokeColor: "#ffffff" };
  const DIM = { background: "rgba(200,200,200,0.35)", border: "rgba(170,170,170,0.35)",
    highlight: { background: "#ddd", border: "#999" }, hover: { background: "#ddd", border: "#999" } };
  function shade(hex, f) {
    const v = parseInt(hex.slice(1), 16);
    const c = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map((x) => Math.round(f < 0 ? x * (1 + f) : x + (255 - x) * f));
    return "rgb(" + c.join(",") + ")";
  }
  function typeColor(c) {
    return { background: c, border: shade(c, -0.3), highlight: { background: shade(c, 0.15), border: "#111" },
      hover: { background: shade(c, 0.15), border: "#111" } };
  }
  let colourBy = "type";
  const CC = data.communityColors || ["#9c9c9c"];
  function communityColor(i) { return CC[N[i].community % CC.length]; }
  function nodeColor(i) {
    return typeColor(colourBy === "community" ? communityColor(i) : (typeOf[N[i].type] || { color: "#9c9c9c" }).color);
  }
  // Colours live in one vis group per type (or community), and in the global edge options: dimming
  // the whole graph is then one setOptions call, and only the highlighted neighbourhood is updated item by item.
  const groupOf = (i) => (colourBy === "community" ? "c:" + (N[i].community % CC.length) : "t:" + N[i].type);
  const groups = {};
  const dimGroups = {};
  data.types.forEach((t) => { groups["t:" + t.key] = { color: typeColor(t.color) }; dimGroups["t:" + t.key] = { color: DIM }; });
  CC.forEach((c, k) => { groups["c:" + k] = { color: typeColor(c) }; dimGroups["c:" + k] = { color: DIM }; });
  // Disc radii (canvas units) follow the logarithm of article counts: a few entities are in most articles.
  const R_MIN = 6, R_MAX = 30;
  let aMin = Infinity, aMax = 1;
  N.forEach((n) => { const a = Math.max(n.articles, 1); if (a < aMin) aMin = a; if (a > aMax) aMax = a; });
  const radius = N.map((n) => {
    const a = Math.max(n.articles, 1);
    return aMax > aMin ? R_MIN + (R_MAX - R_MIN) * Math.log(a / aMin) / Math.log(aMax / aMin) : (R_MIN + R_MAX) / 3;
  });
  // Discs never overlap: positions are pushed apart until every pair is `GAP` further apart than
  // their radii, then rounded (vis-network truncates positions to integers: rounding first keeps
  // every pair at least GAP - 1.5 apart).
  const GAP = 5;
  function separate(xy, only) {
    const idx = only || xy.map((_, i) => i);
    if (idx.length < 2) return;
    const cell = 2 * R_MAX + GAP;
    for (let iter = 0; iter < 2000; iter++) {
      const grid = new Map();
      for (const i of idx) {
        const key = Math.floor(xy[i][0] / cell) + "," + Math.floor(xy[i][1] / cell);
        if (!grid.has(key)) grid.set(key, []);
        grid.get(key).push(i);
      }
      let moved = 0;
      for (const i of idx) {
        const cx = Math.floor(xy[i][0] / cell), cy = Math.floor(xy[i][1] / cell);
        for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
          const list = grid.get((cx + dx) + "," + (cy + dy));
          if (!list) continue;
          for (const j of list) {
            if (j <= i) continue;
            let ux = xy[j][0] - xy[i][0], uy = xy[j][1] - xy[i][1];
            let d = Math.hypot(ux, uy);
            const need = radius[i] + radius[j] + GAP;
            if (d >= need) continue;
            if (d < 1e-6) { const a = (i * 2.399963) % (2 * Math.PI); ux = Math.cos(a); uy = Math.sin(a); d = 1e-6; } else { ux /= d; uy /= d; }
            const push = (need - d) / 2 + 0.01;
            xy[i][0] -= ux * push; xy[i][1] -= uy * push;
            xy[j][0] += ux * push; xy[j][1] += uy * push;
            moved++;
          }
        }
      }
      if (!moved) break;
    }
    for (const i of idx) { xy[i][0] = Math.round(xy[i][0]); xy[i][1] = Math.round(xy[i][1]); }
  }
  const start = N.map((n) => [n.x || 0, n.y || 0]);
  if (data.positioned) separate(start);
  let maxWeight = 1;
  const links = new Uint32Array(N.length); // links of each entity among the drawn ones
  E.forEach((e) => { if (e.weight > maxWeight) maxWeight = e.weight; links[e.source]++; links[e.target]++; });
  const EDGE = { color: "rgba(80,90,110,0.4)", highlight: "#1f2d44", hover: "#1f2d44", inherit: false };
  const DIM_EDGE = { color: "rgba(180,180,180,0.12)", highlight: "#1f2d44", hover: "#1f2d44", inherit: false };
  const STRONG_EDGE = { color: "rgba(31,45,68,0.8)", highlight: "#1f2d44", hover: "#1f2d44", inherit: false };

  // -- vis data: everything drawn goes through two filtered views ---------------------------
  const idToIndex = new Map();
  const nodes = new vis.DataSet(N.map((n, i) => {
    idToIndex.set(n.id, i);
    const item = { id: n.id, i: i, size: radius[i], group: groupOf(i) };
    if (data.positioned) { item.x = start[i][0]; item.y = start[i][1]; }
    return item;
  }));
  const edges = new vis.DataSet(E.map((e, k) => ({
    id: k, k: k, from: N[e.source].id, to: N[e.target].id, value: e.weight,
  })));
  let minWeight = Math.min(Math.max(data.minWeight, 1), maxWeight);
  // The significance control: the whole backbone, then backbone links of smaller and smaller q.
  const Q_STEPS = [Infinity, 0.01, 0.001, 1e-4, 1e-6, 1e-9];
  let maxQ = Q_STEPS[0];
  function qText(q) { return q === Infinity ? "backbone" : "q ≤ " + q; }
  const hasBackbone = E.some((e) => e.backbone);
  let mode = hasBackbone ? "significance" : "articles"; // the page opens on the backbone when there is one
  let hideUnlinked = true;
  let linked = new Uint8Array(N.length);
  const pinned = new Set(); // entities shown even without a link (searched or clicked ones)
  const cap = new Uint32Array(N.length).fill(data.linksPerNode || 50); // links drawn per entity
  let shownLinks = new Uint32Array(N.length); // of the links passing the filters, how many each entity draws
  let passingLinks = new Uint32Array(N.length); // and how many pass
  let shownEdge = new Uint8Array(E.length);
  // The time range: months [tLo, tHi] of data.time.months; the whole span shows every link
  // (undated ones too), a narrower one only the links with an article dated within it.
  const T = data.time;
  let tLo = 0;
  let tHi = T ? T.months.length - 1 : 0;
  function timeNarrowed() { return !!T && (tLo > 0 || tHi < T.months.length - 1); }
  function inRange(e) { return e.tm.some((m) => m[0] >= tLo && m[0] <= tHi); }
  // A link first seen within a range that starts after the corpus does is new.
  function isNew(e) { return !!T && tLo > 0 && e.tm.length > 0 && e.tm[0][0] >= tLo && e.tm[0][0] <= tHi; }
  function edgeSelected(k) { // the filters, before the per-entity cap
    const e = E[k];
    if (!typeOn[N[e.source].type] || !typeOn[N[e.target].type]) return false;
    if (timeNarrowed() && !inRange(e)) return false;
    if (mode === "significance") return e.backbone === 1 && (maxQ === Infinity || (e.q !== null && e.q <= maxQ));
    return e.weight >= minWeight;
  }
  function edgePasses(k) { return shownEdge[k] === 1; }
  // Links come most significant first (data.edges order): each entity draws its `cap` first ones.
  function computeLinked() {
    linked = new Uint8Array(N.length);
    shownLinks = new Uint32Array(N.length);
    passingLinks = new Uint32Array(N.length);
    shownEdge = new Uint8Array(E.length);
    for (let k = 0; k < E.length; k++) {
      if (!edgeSelected(k)) continue;
      const e = E[k];
      passingLinks[e.source]++; passingLinks[e.target]++;
      if (shownLinks[e.source] >= cap[e.source] || shownLinks[e.target] >= cap[e.target]) continue;
      shownLinks[e.source]++; shownLinks[e.target]++;
      shownEdge[k] = 1;
      linked[e.source] = 1; linked[e.target] = 1;
    }
  }
  computeLinked();
  const nodeView = new vis.DataView(nodes, {
    filter: (n) => typeOn[N[n.i].type] && (!hideUnlinked || linked[n.i] === 1 || pinned.has(n.i)),
  });
  // While the browser lays the graph out, weaker links pull too (they are not drawn: the
  // layout runs before the first frame); afterwards only the links that pass the filters stay.
  let layoutMinWeight = data.positioned ? 0 : Math.min(Math.max(data.layoutMinWeight, 1), minWeight);
  const edgeView = new vis.DataView(edges, {
    filter: (e) => (layoutMinWeight ? E[e.k].weight >= layoutMinWeight : edgePasses(e.k)),
  });
  // Sizes follow the logarithm of article counts and weights: a few entities are in most articles.
  function logScale(min, max, total, value) {
    return max > min ? Math.log(value / min) / Math.log(max / min) : 0.5;
  }

  const big = N.length > 400 || E.length > 5000;
  const options = {
    autoResize: true,
    nodes: { shape: "dot", borderWidth: 1, borderWidthSelected: 3, font: FONT },
    groups: groups,
    edges: { smooth: false, color: EDGE, selectionWidth: 2, hoverWidth: 1, scaling: { min: 1, max: 9, customScalingFunction: logScale } },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big, keyboard: false },
    layout: { randomSeed: 7, improvedLayout: N.length <= 100 },
    physics: data.positioned ? false : {
      solver: "forceAtlas2Based",
      forceAtlas2Based: N.length <= 150
        ? { gravitationalConstant: -200, centralGravity: 0.015, springLength: 130, springConstant: 0.04, avoidOverlap: 1 }
        : { gravitationalConstant: -70, centralGravity: 0.012, springLength: 90, springConstant: 0.06, avoidOverlap: 0.4 },
      stabilization: { enabled: true, iterations: N.length > 300 ? 250 : 500, updateInterval: 25, fit: true },
      minVelocity: 1,
    },
  };
  const container = $("graph");
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  Object.assign(api, { network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView });

  // -- counts and readiness -----------------------------------------------------------------
  const count = $("count");
  count.setAttribute("title", "The page draws the " + N.length + " most important entities (most articles, then strongest links). " +
    "graph.json and graph.graphml keep all " + data.total + ".");
  function updateCount() {
    let shown = 0;
    for (let k = 0; k < E.length; k++) shown += edgePasses(k) ? 1 : 0;
    const what = mode === "significance" ? " · significant links (" + qText(maxQ) + ")" : (minWeight > 1 ? " of weight ≥ " + minWeight : "");
    const when = timeNarrowed() ? " · " + T.months[tLo] + (tHi > tLo ? " – " + T.months[tHi] : "") + " (" + api.newLinks() + " new)" : "";
    count.textContent = "showing " + nodeView.length + " of " + data.total + " entities · " + plural(shown, "link") + what + when;
  }
  function ready() {
    if (api.ready) return;
    $("status").hidden = true;
    $("controls").disabled = false;
    api.ready = true;
    document.body.setAttribute("data-ready", "1");
  }
  if (N.length === 0) {
    $("status").textContent = "No entities to draw: the articles gave no person, place or organization.";
    api.ready = true;
    document.body.setAttribute("data-ready", "1");
  } else if (data.positioned) {
    network.once("afterDrawing", () => { network.fit(); ready(); });
  } else {
    network.on("stabilizationProgress", (p) => {
      $("status").textContent = "Laying out the graph… " + Math.round((100 * p.iterations) / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({ physics: false });
      const pos = network.getPositions();
      const ids = Object.keys(pos);
      const xy = N.map((n) => (pos[n.id] ? [pos[n.id].x, pos[n.id].y] : [0, 0]));
      separate(xy, ids.map((id) => idToIndex.get(id))); // the layout's avoidOverlap does not guarantee it
      nodes.update(ids.map((id) => ({ id: id, x: xy[idToIndex.get(id)][0], y: xy[idToIndex.get(id)][1] })));
      network.fit();
      layoutMinWeight = 0;
      edgeView.refresh();
      updateCount();
      ready();
    });
  }

  // -- labels: drawn here, never on top of each other ----------------------------------------
  const LABEL_PX = 12, LABEL_H = 15, LABEL_MAX = 32;
  const measure = document.createElement("canvas").getContext("2d");
  const LABEL_FONT = LABEL_PX + 'px system-ui, -apple-system, "Segoe UI", sans-serif';
  measure.font = LABEL_FONT;
  const labelText = N.map((n) => shorten(n.label, LABEL_MAX));
  const labelWidth = labelText.map((t) => Math.ceil(measure.measureText(t).width) + 4);
  let hovered = null; // index of the hovered entity
  let drawnLabels = []; // [index, x, y, w, h] in container pixels
  let drawnDiscs = []; // [index, cx, cy, r] in container pixels
  function lit() { // entities whose labels are always drawn, first
    const out = [];
    if (highlighted !== null) litNodes.forEach((id) => out.push(idToIndex.get(id)));
    if (hovered !== null) {
      out.push(hovered);
      network.getConnectedNodes(N[hovered].id).forEach((id) => out.push(idToIndex.get(id)));
    }
    return out;
  }
  function overlaps(a, b) { return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]; }
  function hitsDisc(r, d) { // rectangle [x, y, w, h] against disc [i, cx, cy, radius]
    const nx = Math.max(r[0], Math.min(d[1], r[0] + r[2])), ny = Math.max(r[1], Math.min(d[2], r[1] + r[3]));
    return (nx - d[1]) * (nx - d[1]) + (ny - d[2]) * (ny - d[2]) < d[3] * d[3];
  }
  function placeLabels() {
    const ids = nodeView.getIds();
    const pos = network.getPositions(ids);
    const scale = network.getScale();
    const W = container.clientWidth, H = container.clientHeight;
    const CELL = 64;
    const discGrid = new Map(), labelGrid = new Map();
    const put = (grid, x0, y0, x1, y1, item) => {
      for (let gx = Math.floor(x0 / CELL); gx <= Math.floor(x1 / CELL); gx++) for (let gy = Math.floor(y0 / CELL); gy <= Math.floor(y1 / CELL); gy++) {
        const key = gx + "," + gy;
        if (!grid.has(key)) grid.set(key, []);
        grid.get(key).push(item);
      }
    };
    const near = (grid, r) => {
      const out = new Set();
      for (let gx = Math.floor(r[0] / CELL); gx <= Math.floor((r[0] + r[2]) / CELL); gx++) for (let gy = Math.floor(r[1] / CELL); gy <= Math.floor((r[1] + r[3]) / CELL); gy++) {
        const list = grid.get(gx + "," + gy);
        if (list) list.forEach((x) => out.add(x));
      }
      return out;
    };
    const discs = new Map();
    drawnDiscs = [];
    ids.forEach((id) => {
      if (!pos[id]) return; // just added to the view, not placed yet
      const i = idToIndex.get(id), p = network.canvasToDOM(pos[id]), r = (radius[i] + 0.5) * scale;
      if (p.x + r < 0 || p.y + r < 0 || p.x - r > W || p.y - r > H) return;
      const d = [i, p.x, p.y, r];
      discs.set(i, d);
      drawnDiscs.push(d);
      put(discGrid, p.x - r, p.y - r, p.x + r, p.y + r, d);
    });
    const placed = [];
    const done = new Uint8Array(N.length);
    const forced = lit();
    const order = forced.concat(ids.map((id) => idToIndex.get(id)).sort((a, b) => a - b));
    const forcedSet = new Set(forced);
    for (const i of order) {
      if (done[i] || !discs.has(i)) continue;
      done[i] = 1;
      if (highlighted !== null && !forcedSet.has(i)) continue; // the rest of the graph is faded
      const d = discs.get(i), w = labelWidth[i], h = LABEL_H, r = d[3];
      const c = r * 0.71 + 1; // the diagonals, touching the disc at 45 degrees
      const spots = [[d[1] - w / 2, d[2] + r + 1], [d[1] - w / 2, d[2] - r - 1 - h], [d[1] + r + 2, d[2] - h / 2], [d[1] - r - 2 - w, d[2] - h / 2],
        [d[1] + c, d[2] + c], [d[1] + c, d[2] - c - h], [d[1] - c - w, d[2] + c], [d[1] - c - w, d[2] - c - h]];
      let chosen = null;
      for (const [x, y] of spots) {
        const box = [x, y, w, h];
        if (x < 0 || y < 0 || x + w > W || y + h > H) continue;
        let free = true;
        for (const o of near(labelGrid, box)) if (overlaps(box, o)) { free = false; break; }
        if (free) for (const o of near(discGrid, box)) if (o[0] !== i && hitsDisc(box, o)) { free = false; break; }
        if (free) { chosen = box; break; }
      }
      if (!chosen && forcedSet.has(i)) { // always drawn: where it covers the fewest others
        let best = Infinity;
        for (const [x, y] of spots) {
          const box = [x, y, w, h];
          let n = 0;
          for (const o of near(labelGrid, box)) if (overlaps(box, o)) n++;
          for (const o of near(discGrid, box)) if (o[0] !== i && hitsDisc(box, o)) n++;
          if (n < best) { best = n; chosen = box; }
        }
      }
      if (!chosen) continue;
      const item = [chosen[0], chosen[1], chosen[2], chosen[3], i];
      placed.push(item);
      put(labelGrid, chosen[0], chosen[1], chosen[0] + w, chosen[1] + h, item);
    }
    drawnLabels = placed;
  }
  function drawLabels(ctx) {
    placeLabels();
    const ratio = (network.canvas && network.canvas.pixelRatio) || window.devicePixelRatio || 1;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = LABEL_FONT;
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255,255,255,0.95)";
    ctx.fillStyle = "#222";
    drawnLabels.forEach(([x, y, w, h, i]) => {
      ctx.strokeText(labelText[i], x + 2, y + h / 2);
      ctx.fillText(labelText[i], x + 2, y + h / 2);
    });
    ctx.restore();
  }
  network.on("afterDrawing", drawLabels);
  function pageBoxes(list, f) {
    const r = container.getBoundingClientRect(), sx = window.scrollX, sy = window.scrollY;
    return list.map((b) => f(b, r.left + sx, r.top + sy));
  }
  api.labelBoxes = () => pageBoxes(drawnLabels, (b, ox, oy) => ({ id: N[b[4]].id, label: labelText[b[4]], x: b[0] + ox, y: b[1] + oy, width: b[2], height: b[3] }));
  api.discBoxes = () => pageBoxes(drawnDiscs, (d, ox, oy) => ({ id: N[d[0]].id, cx: d[1] + ox, cy: d[2] + oy, r: d[3],
    x: d[1] - d[3] + ox, y: d[2] - d[3] + oy, width: 2 * d[3], height: 2 * d[3] }));

  // -- what a node or an edge says -----------------------------------------------------------
  function typeName(i) { return (typeOf[N[i].type] || { name: "unknown" }).name; }
  function nodeFacts(i) {
    const n = N[i];
    return typeName(i) + " · " + plural(n.articles, "article") + (n.mentions ? " · " + plural(n.mentions, "mention") : "");
  }
  function edgeFacts(k) {
    const e = E[k];
    const byArticle = UNIT === "article" && e.expected !== null && e.expected !== undefined;
    const bySentence = UNIT === "sentence" && e.expected !== null && e.expected !== undefined;
    return plural(e.weight, "shared article") + (byArticle ? ", " + fmtX(e.expected) + " expected" : "") +
      " · " + plural(e.sentenceCount, "shared sentence") + (bySentence ? ", " + fmtX(e.expected) + " expected" : "") +
      (test(e) !== null && test(e) !== undefined ? " · " + TEST + " = " + fmtQ(test(e)) : "");
  }
  function tipForNode(i) {
    const n = N[i];
    const out = [el("b", n.label), el("div", nodeFacts(i))];
    if (n.aliases.length) out.push(el("div", "also: " + n.aliases.slice(0, 5).join(", ") + (n.aliases.length > 5 ? ", …" : "")));
    return out;
  }
  function tipForEdge(k) {
    const e = E[k];
    const out = [el("b", N[e.source].label + " — " + N[e.target].label), el("div", edgeFacts(k))];
    const titles = e.docs.slice(0, 3).map((d) => shorten(A[d][0], 90));
    if (titles.length) out.push(el("div", "in: " + titles.join("; ") + (e.weight > titles.length ? "; …" : "")));
    if (e.sentences.length) out.push(el("i", "“" + shorten(e.sentences[0][0], 240) + "”"));
    return out;
  }

  // -- tooltip (hover) ---------------------------------------------------------------------------
  const tip = $("tip");
  function showTip(children, pointer) {
    tip.replaceChildren();
    children.forEach((c) => { tip.appendChild(c); tip.appendChild(document.createTextNode(" ")); });
    tip.hidden = false;
    const box = container.getBoundingClientRect();
    let x = box.left + pointer.x + 14;
    let y = box.top + pointer.y + 14;
    if (x + tip.offsetWidth > window.innerWidth - 4) x = Math.max(4, box.left + pointer.x - tip.offsetWidth - 14);
    if (y + tip.offsetHeight > window.innerHeight - 4) y = Math.max(4, box.top + pointer.y - tip.offsetHeight - 14);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hideTip() { tip.hidden = true; }
  network.on("hoverNode", (p) => {
    const n = nodes.get(p.node);
    if (!n) return;
    hovered = n.i;
    network.redraw(); // its label and its neighbours' show
    showTip(tipForNode(n.i), p.pointer.DOM);
  });
  network.on("blurNode", () => { hovered = null; network.redraw(); });
  network.on("hoverEdge", (p) => { const e = edges.get(p.edge); if (e) showTip(tipForEdge(e.k), p.pointer.DOM); });
  ["blurNode", "blurEdge", "dragStart", "zoom"].forEach((ev) => network.on(ev, hideTip));
  container.addEventListener("mouseleave", () => { hideTip(); if (hovered !== null) { hovered = null; network.redraw(); } });

  // -- info panel (click) ---------------------------------------------------------------------------
  const info = $("info");
  const body = $("info-body");
  function section(title, items) {
    if (!items.length) return;
    body.appendChild(el("h3", title));
    const ul = el("ul");
    items.forEach((it) => { const li = el("li"); li.appendChild(typeof it === "string" ? document.createTextNode(it) : it); ul.appendChild(li); });
    body.appendChild(ul);
  }
  function linkTo(i, text) {
    const b = el("button", text, "link");
    b.type = "button";
    b.addEventListener("click", () => focusNode(i));
    return b;
  }
  let infoNode = null; // the entity the panel shows, if it shows one
  const adjacency = N.map(() => []); // each entity's links (indices into E), most significant first
  E.forEach((e, k) => { adjacency[e.source].push(k); adjacency[e.target].push(k); });
  function linkFacts(k) {
    const e = E[k];
    const expected = e.expected !== null && e.expected !== undefined ? " (" + fmtX(e.expected) + " expected)" : "";
    let t = " · " + plural(e.weight, "article") + (UNIT === "article" ? expected : "");
    if (UNIT === "sentence") t += " · " + plural(e.sentenceCount, "sentence") + expected;
    if (test(e) !== null && test(e) !== undefined) t += " · " + TEST + " " + fmtQ(test(e));
    return t;
  }
  function showNodeInfo(i) {
    const n = N[i];
    infoNode = i;
    body.replaceChildren();
    const h = el("h2");
    const dot = el("span", null, "dot");
    dot.style.background = nodeColor(i).background;
    h.appendChild(dot);
    h.appendChild(document.createTextNode(n.label));
    body.appendChild(h);
    body.appendChild(el("div", nodeFacts(i), "sub"));
    if (n.aliases.length) section("Also called", [n.aliases.join(", ")]);
    const shown = adjacency[i].filter((k) => edgePasses(k)); // most significant first
    const total = adjacency[i].length;
    const heading = "Linked to (" + shown.length + (shown.length === total ? "" : " of " + total + " shown") + ")";
    const items = shown.map((k) => {
      const e = E[k], j = e.source === i ? e.target : e.source;
      const span = el("span");
      span.appendChild(linkTo(j, N[j].label));
      span.appendChild(el("span", linkFacts(k), "sub"));
      return span;
    });
    const more = passingLinks[i] - shownLinks[i];
    if (more > 0) {
      const b = el("button", "+" + more + " more", "more");
      b.type = "button";
      b.title = "Draw more of this entity's links, most significant first";
      b.addEventListener("click", () => { cap[i] += data.linksPerNode || 50; scheduleFilters(() => showNodeInfo(i)); });
      items.push(b);
    }
    if (shown.length + more < total) {
      items.push(el("span", mode === "significance"
        ? "the other links are not significant: switch to shared articles to see them"
        : "lower the min. weight or show every type to see the rest", "sub"));
    }
    section(heading, items);
    section("Articles", n.docs.map(articleText).concat(n.articles > n.docs.length ? ["… and " + (n.articles - n.docs.length) + " more"] : []));
    info.hidden = false;
  }
  // The evidence of a link, one article a page: articles with example sentences first.
  let evidencePage = 0;
  function articleBlock(d, sentences) {
    const box = el("div", null, "article");
    box.appendChild(el("b", A[d][0]));
    const meta = el("div", null, "sub");
    const parts = [A[d][1], A[d][2]].filter((x) => x);
    meta.appendChild(document.createTextNode(parts.join(" · ")));
    const href = safeHref(A[d][3]);
    if (href) {
      if (parts.length) meta.appendChild(document.createTextNode(" · "));
      const a = el("a", shorten(href, 70));
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      meta.appendChild(a);
    } else if (A[d][3]) {
      meta.appendChild(document.createTextNode(" · " + shorten(A[d][3], 70)));
    }
    box.appendChild(meta);
    sentences.forEach((t) => box.appendChild(el("blockquote", "“" + t + "”")));
    if (!sentences.length) box.appendChild(el("div", "no sentence of this article names both (or none was kept)", "sub"));
    return box;
  }
  function showEdgeInfo(k, page) {
    const e = E[k];
    infoNode = null;
    evidencePage = page || 0;
    body.replaceChildren();
    const h = el("h2");
    h.appendChild(linkTo(e.source, N[e.source].label));
    h.appendChild(document.createTextNode(" — "));
    h.appendChild(linkTo(e.target, N[e.target].label));
    body.appendChild(h);
    body.appendChild(el("div", edgeFacts(k), "sub"));
    const bySentence = new Map();
    e.sentences.forEach(([t, d]) => { if (!bySentence.has(d)) bySentence.set(d, []); bySentence.get(d).push(t); });
    const docs = e.docs.filter((d) => bySentence.has(d)).concat(e.docs.filter((d) => !bySentence.has(d)));
    bySentence.forEach((_, d) => { if (d >= 0 && !docs.includes(d)) docs.push(d); });
    const total = docs.length;
    if (total) {
      const p = Math.min(Math.max(evidencePage, 0), total - 1);
      const pager = el("div", null, "pager");
      const prev = el("button", "‹", "prev");
      prev.type = "button"; prev.disabled = p === 0; prev.setAttribute("aria-label", "previous article");
      prev.addEventListener("click", () => showEdgeInfo(k, p - 1));
      const next = el("button", "›", "next");
      next.type = "button"; next.disabled = p >= total - 1; next.setAttribute("aria-label", "next article");
      next.addEventListener("click", () => showEdgeInfo(k, p + 1));
      pager.appendChild(prev);
      pager.appendChild(el("span", "article " + (p + 1) + " of " + total, "page"));
      pager.appendChild(next);
      body.appendChild(pager);
      body.appendChild(articleBlock(docs[p], bySentence.get(docs[p]) || []));
    }
    if (e.weight > e.docs.length) body.appendChild(el("div", (e.weight - e.docs.length) + " more articles are listed in graph.json", "sub"));
    if (T && e.tm.length) body.appendChild(linkTimeline(e));
    info.hidden = false;
  }
  // A link's articles month by month, from its first month to its last: one bar a month.
  function linkTimeline(e) {
    const box = el("div", null, "link-time");
    box.appendChild(el("h3", "Over time"));
    const first = e.tm[0][0];
    const last = e.tm[e.tm.length - 1][0];
    const per = new Map(e.tm.map((m) => [m[0], m[1]]));
    const most = Math.max.apply(null, e.tm.map((m) => m[1]));
    const bars = el("div", null, "bars");
    for (let m = first; m <= last; m++) {
      const n = per.get(m) || 0;
      const bar = el("span", null, n ? "bar" : "bar empty");
      bar.style.height = (n ? 4 + Math.round(26 * n / most) : 1) + "px";
      bar.title = T.months[m] + ": " + plural(n, "article");
      bar.setAttribute("data-month", T.months[m]);
      bars.appendChild(bar);
    }
    box.appendChild(bars);
    const undated = e.weight - e.tm.reduce((a, m) => a + m[1], 0);
    box.appendChild(el("div", T.months[first] + (last > first ? " – " + T.months[last] : "") +
      " · first seen " + T.months[first] + (undated > 0 ? " · " + undated + " undated" : ""), "sub"));
    return box;
  }
  api.showEdge = (k) => showEdgeInfo(k);
  function hideInfo() { info.hidden = true; infoNode = null; body.replaceChildren(); }
  $("info-close").addEventListener("click", () => { hideInfo(); clearHighlight(); network.unselectAll(); });

  // -- neighbourhood highlight -----------------------------------------------------------------
  let highlighted = null;
  let litNodes = [];
  let litEdges = [];
  function clearHighlight() {
    if (highlighted === null) return;
    highlighted = null;
    network.setOptions({ groups: groups, nodes: { font: FONT }, edges: { color: EDGE } });
    nodes.update(litNodes.map((id) => ({ id: id, color: null, font: null })));
    edges.update(litEdges.map((id) => ({ id: id, color: null })));
    litNodes = [];
    litEdges = [];
  }
  function highlight(id) {
    clearHighlight();
    if (!nodeView.get(id)) return;
    highlighted = id;
    network.setOptions({ groups: dimGroups, nodes: { font: DIM_FONT }, edges: { color: DIM_EDGE } });
    litNodes = [id].concat(network.getConnectedNodes(id));
    nodes.update(litNodes.map((x) => ({ id: x, color: nodeColor(idToIndex.get(x)), font: FONT })));
    litEdges = network.getConnectedEdges(id);
    edges.update(litEdges.map((x) => ({ id: x, color: STRONG_EDGE })));
  }
  api.highlighted = () => highlighted;

  network.on("click", (p) => {
    hideTip();
    if (p.nodes.length) {
      const i = nodes.get(p.nodes[0]).i;
      pinned.add(i);
      highlight(N[i].id);
      showNodeInfo(i);
      keepInView([N[i].id].concat(network.getConnectedNodes(N[i].id)));
    } else if (p.edges.length) {
      clearHighlight();
      const k = edges.get(p.edges[0]).k;
      showEdgeInfo(k);
      keepInView([N[E[k].source].id, N[E[k].target].id]);
    } else {
      clearHighlight();
      hideInfo();
    }
  });
  network.on("doubleClick", (p) => { if (p.nodes.length) focusNode(nodes.get(p.nodes[0]).i); });

  // -- filters -------------------------------------------------------------------------------
  let newNow = new Uint8Array(E.length);
  function markNew() { // new links are dashed
    const changed = [];
    for (let k = 0; k < E.length; k++) {
      const now = isNew(E[k]) ? 1 : 0;
      if (now !== newNow[k]) { newNow[k] = now; changed.push({ id: k, dashes: now === 1 }); }
    }
    if (changed.length) edges.update(changed);
  }
  api.newLinks = () => { let n = 0; for (let k = 0; k < E.length; k++) n += newNow[k] && edgePasses(k) ? 1 : 0; return n; };
  function applyFilters() {
    const keep = highlighted;
    clearHighlight();
    computeLinked();
    markNew();
    nodeView.refresh();
    edgeView.refresh();
    if (keep !== null && nodeView.get(keep)) highlight(keep);
    if (infoNode !== null) {
      if (nodeView.get(N[infoNode].id)) showNodeInfo(infoNode); // its links shown have changed
      else hideInfo();
    }
    updateCount();
  }
  function refit() { if (nodeView.length) network.fit({ animation: false }); }
  // Controls change the filters through here: one refresh per frame however fast the slider
  // moves, a "Drawing…" note on big graphs before the page is busy, and body[data-busy] meanwhile.
  let scheduled = null;
  function scheduleFilters(then) {
    if (scheduled) { if (then) scheduled.push(then); return; }
    scheduled = then ? [then] : [];
    document.body.setAttribute("data-busy", "1");
    const status = $("status");
    if (E.length > 3000) { status.textContent = "Drawing…"; status.hidden = false; }
    requestAnimationFrame(() => setTimeout(() => {
      const after = scheduled;
      scheduled = null;
      applyFilters();
      status.hidden = true;
      after.forEach((f) => f());
      document.body.removeAttribute("data-busy");
    }, 0));
  }
  const typeBoxes = Object.create(null);
  const typesBar = $("types");
  data.types.forEach((t) => {
    const label = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-type", t.key);
    box.addEventListener("change", () => { typeOn[t.key] = box.checked; scheduleFilters(refitIfHiding); });
    typeBoxes[t.key] = box;
    const dot = el("span", null, "dot");
    dot.style.background = t.color;
    label.appendChild(box);
    label.appendChild(dot);
    label.appendChild(document.createTextNode(t.name + " "));
    label.appendChild(el("span", "(" + t.count + ")", "sub"));
    typesBar.appendChild(label);
  });
  const weight = $("weight");
  const weightValue = $("weight-value");
  weight.max = String(maxWeight);
  weight.value = String(minWeight);
  weightValue.textContent = String(minWeight);
  weight.disabled = maxWeight <= 1;
  weight.addEventListener("input", () => {
    minWeight = parseInt(weight.value, 10) || 1;
    weightValue.textContent = String(minWeight);
    scheduleFilters(refitIfHiding);
  });
  const qInput = $("q");
  const qValue = $("q-value");
  qInput.max = String(Q_STEPS.length - 1);
  qInput.addEventListener("input", () => {
    maxQ = Q_STEPS[parseInt(qInput.value, 10) || 0];
    qValue.textContent = qText(maxQ);
    scheduleFilters(refitIfHiding);
  });
  const modeSelect = $("mode");
  function showMode() {
    modeSelect.value = mode;
    $("q-control").hidden = mode !== "significance";
    $("weight-control").hidden = mode !== "articles";
  }
  if (!hasBackbone) {
    modeSelect.querySelector("option[value=significance]").disabled = true;
    modeSelect.title = "No link stands out from chance in this graph (too few articles?): every link is shown by shared articles.";
  }
  showMode();
  modeSelect.addEventListener("change", () => { mode = modeSelect.value === "articles" ? "articles" : "significance"; showMode(); scheduleFilters(refitIfHiding); });
  function refitIfHiding() { if (hideUnlinked) refit(); }
  const unlinked = $("unlinked");
  unlinked.checked = hideUnlinked;
  unlinked.addEventListener("change", () => { hideUnlinked = unlinked.checked; if (!hideUnlinked) pinned.clear(); scheduleFilters(refit); });
  const colour = $("colour");
  colour.addEventListener("change", () => {
    colourBy = colour.value === "community" ? "community" : "type";
    const keep = highlighted;
    clearHighlight();
    nodes.update(N.map((n, i) => ({ id: n.id, group: groupOf(i) })));
    if (keep !== null) highlight(keep);
    if (infoNode !== null) showNodeInfo(infoNode);
  });
  // -- the time range: a histogram of articles a month and two handles --------------------------
  const fromInput = $("from");
  const toInput = $("to");
  function showRange() {
    $("span").textContent = T.months[tLo] + (tHi > tLo ? " – " + T.months[tHi] : "");
    $("hist").querySelectorAll(".bar").forEach((b, m) => b.classList.toggle("out", m < tLo || m > tHi));
  }
  if (T) {
    const hist = $("hist");
    const most = Math.max.apply(null, T.counts.concat([1]));
    T.counts.forEach((n, m) => {
      const bar = el("span", null, "bar");
      bar.style.height = (n ? 3 + Math.round(37 * n / most) : 1) + "px";
      bar.title = T.months[m] + ": " + plural(n, "article");
      hist.appendChild(bar);
    });
    fromInput.max = toInput.max = String(T.months.length - 1);
    fromInput.value = "0";
    toInput.value = String(T.months.length - 1);
    const onRange = (moved) => {
      let lo = parseInt(fromInput.value, 10) || 0;
      let hi = parseInt(toInput.value, 10) || 0;
      if (lo > hi) { if (moved === fromInput) hi = lo; else lo = hi; fromInput.value = String(lo); toInput.value = String(hi); }
      tLo = lo; tHi = hi;
      showRange();
      scheduleFilters(refitIfHiding);
    };
    fromInput.addEventListener("input", () => onRange(fromInput));
    toInput.addEventListener("input", () => onRange(toInput));
    $("time-note").textContent = T.undated ? plural(T.undated, "undated article") + ": shown only over the whole span" : "";
    $("time").hidden = false;
    showRange();
  }
  $("reset").addEventListener("click", () => {
    if (T) { tLo = 0; tHi = T.months.length - 1; fromInput.value = "0"; toInput.value = String(tHi); showRange(); }
    data.types.forEach((t) => { typeOn[t.key] = true; typeBoxes[t.key].checked = true; });
    minWeight = Math.min(Math.max(data.minWeight, 1), maxWeight);
    weight.value = String(minWeight);
    weightValue.textContent = String(minWeight);
    maxQ = Q_STEPS[0];
    qInput.value = "0";
    qValue.textContent = qText(maxQ);
    mode = hasBackbone ? "significance" : "articles";
    showMode();
    hideUnlinked = true;
    unlinked.checked = true;
    pinned.clear();
    cap.fill(data.linksPerNode || 50);
    clearHighlight();
    hideInfo();
    network.unselectAll();
    scheduleFilters(() => network.fit({ animation: { duration: 400 } }));
  });
  updateCount();

  // -- search --------------------------------------------------------------------------------
  function norm(s) {
    return String(s).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  const names = N.map((n) => [n.label].concat(n.aliases).map(norm));
  function search(query) {
    const q = norm(query);
    if (!q) return [];
    const hits = [];
    names.forEach((list, i) => {
      let best = 9;
      list.forEach((name, j) => {
        let s = 9;
        if (name === q) s = 0;
        else if (name.startsWith(q)) s = 2;
        else if ((" " + name).includes(" " + q)) s = 4;
        else if (name.includes(q)) s = 6;
        if (s < 9 && j > 0) s += 1; // an alias ranks just below the name itself
        if (s < best) best = s;
      });
      if (best < 9) hits.push([best, i]);
    });
    hits.sort((a, b) => a[0] - b[0] || N[b[1]].articles - N[a[1]].articles || (N[a[1]].label < N[b[1]].label ? -1 : 1));
    return hits.map((h) => h[1]);
  }
  api.search = search;
  const input = $("search");
  const results = $("results");
  let shown = [];
  let active = 0;
  function renderResults() {
    results.replaceChildren();
    const q = input.value;
    if (!norm(q)) { results.hidden = true; shown = []; return; }
    shown = search(q).slice(0, 8);
    if (!shown.length) {
      results.appendChild(el("div", "No drawn entity matches. The page draws the " + N.length + " most important of " + data.total + ".", "note"));
    }
    shown.forEach((i, r) => {
      const b = el("button", null, r === active ? "active" : "");
      b.type = "button";
      b.setAttribute("role", "option");
      const dot = el("span", null, "dot");
      dot.style.background = nodeColor(i).background;
      b.appendChild(dot);
      b.appendChild(document.createTextNode(N[i].label + " "));
      const q0 = norm(q);
      const alias = N[i].aliases.find((a) => norm(a).includes(q0));
      const extra = (alias && !norm(N[i].label).includes(q0) ? "as “" + alias + "” · " : "") + nodeFacts(i);
      b.appendChild(el("span", extra, "sub"));
      b.addEventListener("mousedown", (ev) => { ev.preventDefault(); pick(i); });
      results.appendChild(b);
    });
    results.hidden = false;
  }
  function pick(i) {
    results.hidden = true;
    input.value = N[i].label;
    focusNode(i);
  }
  input.addEventListener("input", () => { active = 0; renderResults(); });
  input.addEventListener("focus", renderResults);
  input.addEventListener("blur", () => { results.hidden = true; });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (shown.length) { active = (active + (ev.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length; renderResults(); }
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      if (!shown.length) renderResults();
      if (shown.length) pick(shown[Math.min(active, shown.length - 1)]);
    } else if (ev.key === "Escape") {
      input.value = "";
      renderResults();
    }
  });

  document.addEventListener("keydown", (ev) => {
    if (ev.key === "/" && document.activeElement !== input && !$("controls").disabled) { ev.preventDefault(); input.focus(); }
    else if (ev.key === "Escape" && document.activeElement !== input) { hideInfo(); clearHighlight(); network.unselectAll(); }
  });

  function focusNode(i) {
    const n = N[i];
    if (!typeOn[n.type]) { typeOn[n.type] = true; typeBoxes[n.type].checked = true; applyFilters(); }
    if (!nodeView.get(n.id)) { pinned.add(i); applyFilters(); } // shown even without a link drawn
    network.selectNodes([n.id]);
    highlight(n.id);
    showNodeInfo(i);
    showAround([n.id].concat(network.getConnectedNodes(n.id)));
  }
  // Move the view onto `ids` (a node and its neighbours), beside the info panel, zooming out
  // if they do not fit and in no further than a comfortable reading scale.
  function showAround(ids) {
    const pos = network.getPositions(ids);
    const xs = ids.map((id) => pos[id].x);
    const ys = ids.map((id) => pos[id].y);
    const w = Math.max(...xs) - Math.min(...xs) + 160;
    const h = Math.max(...ys) - Math.min(...ys) + 160;
    const box = container.getBoundingClientRect();
    const panel = info.hidden || box.width < 800 ? 0 : info.offsetWidth + 24;
    const scale = Math.max(0.15, Math.min(1.0, (box.width - panel) / w, box.height / h));
    network.moveTo({
      position: { x: (Math.max(...xs) + Math.min(...xs)) / 2, y: (Math.max(...ys) + Math.min(...ys)) / 2 },
      scale: scale, offset: { x: -panel / 2, y: 0 },
      animation: { duration: 450, easingFunction: "easeInOutQuad" },
    });
  }
  // Move the view only if the panel covers part of `ids` (or they are off screen).
  function keepInView(ids) {
    const box = container.getBoundingClientRect();
    const panel = info.hidden ? null : info.getBoundingClientRect();
    const pos = network.getPositions(ids);
    const covered = ids.some((id) => {
      if (!pos[id]) return false;
      const p = network.canvasToDOM(pos[id]);
      const x = box.left + p.x, y = box.top + p.y;
      if (p.x < 0 || p.y < 0 || p.x > box.width || p.y > box.height) return true;
      return panel !== null && x > panel.left - 20 && x < panel.right + 20 && y > panel.top - 20 && y < panel.bottom + 20;
    });
    if (covered) showAround(ids.filter((id) => pos[id]));
  }
  api.focus = (id) => { if (idToIndex.has(id)) focusNode(idToIndex.get(id)); };
  api.drawn = () => ({ nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length });
})();
