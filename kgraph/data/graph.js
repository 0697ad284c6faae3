// kgraph's page script. Every piece of data reaches the page as text (textContent,
// setAttribute("title")), never as markup. window.kgraph exposes the state for tests.
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
  function nodeColor(i) { return typeColor((typeOf[N[i].type] || { color: "#9c9c9c" }).color); }
  // Colours live in one vis group per type, and in the global edge options: dimming the whole
  // graph is then one setOptions call, and only the highlighted neighbourhood is updated item by item.
  const groupOf = (i) => "t:" + N[i].type;
  const groups = {};
  const dimGroups = {};
  data.types.forEach((t) => { groups["t:" + t.key] = { color: typeColor(t.color) }; dimGroups["t:" + t.key] = { color: DIM }; });
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
    const item = { id: n.id, i: i, label: n.label, value: Math.max(n.articles, 1), group: groupOf(i) };
    if (data.positioned) { item.x = n.x; item.y = n.y; }
    return item;
  }));
  const edges = new vis.DataSet(E.map((e, k) => ({
    id: k, k: k, from: N[e.source].id, to: N[e.target].id, value: e.weight,
  })));
  let minWeight = Math.min(Math.max(data.minWeight, 1), maxWeight);
  let hideUnlinked = false;
  let linked = new Uint8Array(N.length);
  function edgePasses(k) {
    const e = E[k];
    return e.weight >= minWeight && typeOn[N[e.source].type] && typeOn[N[e.target].type];
  }
  function computeLinked() {
    linked = new Uint8Array(N.length);
    for (let k = 0; k < E.length; k++) {
      if (edgePasses(k)) { linked[E[k].source] = 1; linked[E[k].target] = 1; }
    }
  }
  computeLinked();
  const nodeView = new vis.DataView(nodes, { filter: (n) => typeOn[N[n.i].type] && (!hideUnlinked || linked[n.i] === 1) });
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
    nodes: {
      shape: "dot", borderWidth: 1, borderWidthSelected: 3, font: FONT,
      scaling: { min: 6, max: 40, customScalingFunction: logScale,
        label: { enabled: true, min: 13, max: 30, maxVisible: 30, drawThreshold: 6 } },
    },
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
    let shown = edgeView.length;
    if (layoutMinWeight) { shown = 0; for (let k = 0; k < E.length; k++) shown += edgePasses(k) ? 1 : 0; }
    count.textContent = "showing " + nodeView.length + " of " + data.total + " entities · " +
      plural(shown, "link") + (minWeight > 1 ? " of weight ≥ " + minWeight : "");
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
      nodes.update(Object.keys(pos).map((id) => ({ id: id, x: pos[id].x, y: pos[id].y })));
      layoutMinWeight = 0;
      edgeView.refresh();
      updateCount();
      ready();
    });
  }

  // -- what a node or an edge says -----------------------------------------------------------
  function typeName(i) { return (typeOf[N[i].type] || { name: "unknown" }).name; }
  function nodeFacts(i) {
    const n = N[i];
    return typeName(i) + " · " + plural(n.articles, "article") + (n.mentions ? " · " + plural(n.mentions, "mention") : "");
  }
  function edgeFacts(k) {
    const e = E[k];
    return "weight " + e.weight + ": " + plural(e.weight, "article") + " mention both" +
      (e.sentenceCount ? ", " + plural(e.sentenceCount, "sentence") : "");
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
  network.on("hoverNode", (p) => { const n = nodes.get(p.node); if (n) showTip(tipForNode(n.i), p.pointer.DOM); });
  network.on("hoverEdge", (p) => { const e = edges.get(p.edge); if (e) showTip(tipForEdge(e.k), p.pointer.DOM); });
  ["blurNode", "blurEdge", "dragStart", "zoom"].forEach((ev) => network.on(ev, hideTip));
  container.addEventListener("mouseleave", hideTip);

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
    const nb = [];
    network.getConnectedEdges(n.id).forEach((id) => {
      const e = E[edges.get(id).k];
      nb.push([e.source === i ? e.target : e.source, e.weight]);
    });
    nb.sort((a, b) => b[1] - a[1] || N[b[0]].articles - N[a[0]].articles);
    const heading = nb.length === links[i] ? "Linked to (" + nb.length + ")" : "Linked to (" + nb.length + " of " + links[i] + " shown)";
    const items = nb.slice(0, 20).map(([j, w]) => {
      const span = el("span");
      span.appendChild(linkTo(j, N[j].label));
      span.appendChild(el("span", " · weight " + w, "sub"));
      return span;
    });
    if (nb.length > 20) items.push("… and " + (nb.length - 20) + " more");
    if (nb.length < links[i]) items.push(el("span", "lower the min. weight or show every type to see the rest", "sub"));
    section(heading, items);
    section("Articles", n.docs.map(articleText).concat(n.articles > n.docs.length ? ["… and " + (n.articles - n.docs.length) + " more"] : []));
    info.hidden = false;
  }
  function showEdgeInfo(k) {
    const e = E[k];
    infoNode = null;
    body.replaceChildren();
    const h = el("h2");
    h.appendChild(linkTo(e.source, N[e.source].label));
    h.appendChild(document.createTextNode(" — "));
    h.appendChild(linkTo(e.target, N[e.target].label));
    body.appendChild(h);
    body.appendChild(el("div", edgeFacts(k), "sub"));
    section("Articles", e.docs.map(articleText).concat(e.weight > e.docs.length ? ["… and " + (e.weight - e.docs.length) + " more"] : []));
    if (e.sentences.length) {
      body.appendChild(el("h3", "Example sentences"));
      e.sentences.forEach(([s, d]) => {
        const q = el("blockquote", "“" + s + "”");
        if (d >= 0) { q.appendChild(el("br")); q.appendChild(el("span", "— " + A[d][0], "sub")); }
        body.appendChild(q);
      });
    }
    info.hidden = false;
  }
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
      highlight(N[i].id);
      showNodeInfo(i);
    } else if (p.edges.length) {
      clearHighlight();
      showEdgeInfo(edges.get(p.edges[0]).k);
    } else {
      clearHighlight();
      hideInfo();
    }
  });
  network.on("doubleClick", (p) => { if (p.nodes.length) focusNode(nodes.get(p.nodes[0]).i); });

  // -- filters -------------------------------------------------------------------------------
  function applyFilters() {
    const keep = highlighted;
    clearHighlight();
    computeLinked();
    nodeView.refresh();
    edgeView.refresh();
    if (keep !== null && nodeView.get(keep)) highlight(keep);
    if (infoNode !== null) {
      if (nodeView.get(N[infoNode].id)) showNodeInfo(infoNode); // its links shown have changed
      else hideInfo();
    }
    updateCount();
  }
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
    box.addEventListener("change", () => { typeOn[t.key] = box.checked; scheduleFilters(); });
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
    scheduleFilters();
  });
  const unlinked = $("unlinked");
  unlinked.addEventListener("change", () => { hideUnlinked = unlinked.checked; scheduleFilters(); });
  $("reset").addEventListener("click", () => {
    data.types.forEach((t) => { typeOn[t.key] = true; typeBoxes[t.key].checked = true; });
    minWeight = Math.min(Math.max(data.minWeight, 1), maxWeight);
    weight.value = String(minWeight);
    weightValue.textContent = String(minWeight);
    hideUnlinked = false;
    unlinked.checked = false;
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
    if (!nodeView.get(n.id)) { hideUnlinked = false; unlinked.checked = false; applyFilters(); }
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
  api.focus = (id) => { if (idToIndex.has(id)) focusNode(idToIndex.get(id)); };
  api.drawn = () => ({ nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length });
})();
