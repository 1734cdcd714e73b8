/* tf-graph network page. Every string from the data is put on the page with textContent or
   as a DOM element's text (never innerHTML), so markup in a label stays visible text. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("tf-data").textContent);
  var SHAPE_GLYPHS = { dot: "\u25CF", square: "\u25A0", diamond: "\u25C6", triangle: "\u25B2",
    triangleDown: "\u25BC", star: "\u2605", hexagon: "\u2B22" };
  var FIELD_NAMES = [["cls", "Class"], ["description", "Description"], ["pillar", "Pillar"],
    ["status", "Status"], ["date", "Date"], ["amount_usd", "Amount (USD)"]];
  var DIM = "#e6e6e6";
  var LABEL = "#343434";
  var DIM_LABEL = "#c8c8c8";

  var byId = {};

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function tooltip(n) {
    var tip = el("div", "tf-tip");
    tip.appendChild(el("strong", null, n.name));
    tip.appendChild(el("div", null, n.cls));
    FIELD_NAMES.slice(1).forEach(function (f) {
      if (n[f[0]]) { tip.appendChild(el("div", null, f[1] + ": " + n[f[0]])); }
    });
    if (n.quote) { tip.appendChild(el("div", "tf-tip-quote", "\u201C" + n.quote + "\u201D")); }
    return tip;
  }

  var neighbours = {};
  DATA.nodes.forEach(function (n) {
    byId[n.id] = n;
    n.baseColor = n.color;
    n.title = tooltip(n);
    neighbours[n.id] = {};
  });
  DATA.edges.forEach(function (e) {
    neighbours[e.from][e.to] = true;
    neighbours[e.to][e.from] = true;
  });
  var OVERVIEW = DATA.overview;
  /* stabilizing: physics is laying nodes out (vis-network does it in batches, after the call
     that asks for it returns); pendingFit: the nodes to fit the view to once it is done, as a
     fit before then is undone by the nodes still moving */
  var state = { hiddenClasses: {}, pillar: "", topic: "", selected: null, shown: {},
    mode: OVERVIEW ? "overview" : "all", stabilizing: DATA.physics, pendingFit: null };

  function setOf(ids) {
    var s = {};
    ids.forEach(function (id) { s[id] = true; });
    return s;
  }
  function allIds() { return DATA.nodes.map(function (n) { return n.id; }); }

  /* the links drawn among the shown nodes: every real link, and each overview link whose
     folded nodes are not all drawn themselves */
  function edgesAmong(shown) {
    var list = DATA.edges.filter(function (e) { return shown[e.from] && shown[e.to]; });
    if (OVERVIEW) {
      OVERVIEW.links.forEach(function (l) {
        if (shown[l.from] && shown[l.to] && !l.via.every(function (v) { return shown[v]; })) {
          list.push({ id: l.id, from: l.from, to: l.to, dashes: true, overview: true,
            width: Math.min(6, l.via.length), title: l.label + " \u2014 click an end to see them" });
        }
      });
    }
    return list;
  }

  var startIds = state.mode === "overview" ? OVERVIEW.nodes : allIds();
  state.shown = setOf(startIds);
  var nodes = new vis.DataSet(startIds.map(function (id) { return byId[id]; }));
  var edges = new vis.DataSet(edgesAmong(state.shown));
  var container = document.getElementById("tf-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);
  window.tfGraph = { network: network, nodes: nodes, edges: edges, data: DATA, state: state };
  window.tfGraphReady = false;

  network.once("afterDrawing", function () {
    window.tfGraphDrawnAt = performance.now();
    window.tfGraphReady = true;
    document.body.setAttribute("data-ready", "true");
  });
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    if (state.pinned) {
      state.pinned = false;
      nodes.update(nodes.getIds().map(function (id) { return { id: id, fixed: false }; }));
    }
    state.stabilizing = false;
    if (state.pendingFit) {
      var fitTo = state.pendingFit;
      state.pendingFit = null;
      network.fit({ nodes: fitTo, animation: false });
    }
  });
  /* whether the view is final: no layout running, no fit waiting for one */
  window.tfGraph.settled = function () { return !state.stabilizing && state.pendingFit === null; };

  /* show exactly the nodes of ``shown`` (new ones placed around ``anchor``) */
  function setShown(shown, anchor) {
    var gone = nodes.getIds().filter(function (id) { return !shown[id]; });
    nodes.remove(gone);
    var at = anchor && state.shown[anchor] ? network.getPositions([anchor])[anchor] : null;
    var added = Object.keys(shown).filter(function (id) { return !state.shown[id]; });
    nodes.add(added.map(function (id, i) {
      var n = Object.assign({}, byId[id], { hidden: false, color: byId[id].baseColor });
      if (at && n.x === undefined) {
        var angle = 2 * Math.PI * i / added.length;
        var radius = 120 + 4 * added.length;
        n.x = at.x + radius * Math.cos(angle);
        n.y = at.y + radius * Math.sin(angle);
      }
      return n;
    }));
    state.shown = shown;
    if (state.selected !== null && !shown[state.selected]) { state.selected = null; }
    edges.clear();
    edges.add(edgesAmong(shown));
    if (added.length && DATA.physics) {
      if (at) {
        // what was drawn stays where it is; only the new nodes find their places
        var isNew = setOf(added);
        nodes.update(nodes.getIds().filter(function (id) { return !isNew[id]; })
          .map(function (id) { return { id: id, fixed: { x: true, y: true } }; }));
        state.pinned = true;
      }
      // an expansion keeps the view where it is (the selected node is focused on)
      network.setOptions({ physics: { enabled: true, stabilization: { fit: !at } } });
      state.stabilizing = true;
      network.stabilize(120);
    }
    applyFilters(false);
  }

  /* a node and what it stands for (its members), with every neighbour of those */
  function expansion(id) {
    var shown = Object.assign({}, state.shown);
    var core = [id].concat((OVERVIEW && OVERVIEW.members[id]) || []);
    core.forEach(function (c) {
      shown[c] = true;
      Object.keys(neighbours[c]).forEach(function (m) { shown[m] = true; });
    });
    return shown;
  }
  function expand(id) {
    if (state.mode === "overview") { state.mode = "expanded"; }
    setShown(expansion(id), id);
  }
  function showAll() {
    state.mode = "all";
    setShown(setOf(allIds()), null);
  }
  function showOverview() {
    if (!OVERVIEW) { return; }
    clearHighlight();
    state.mode = "overview";
    setShown(setOf(OVERVIEW.nodes), null);
    network.fit();
  }
  window.tfGraph.expand = expand;
  window.tfGraph.showAll = showAll;
  window.tfGraph.showOverview = showOverview;
  var allButton = document.getElementById("tf-all");
  var overviewButton = document.getElementById("tf-overview");
  allButton.textContent = "Whole graph (" + DATA.nodes.length + ")";
  allButton.addEventListener("click", function () { showAll(); network.fit(); });
  if (OVERVIEW) {
    overviewButton.addEventListener("click", showOverview);
  } else {
    overviewButton.hidden = true;
    allButton.hidden = true;
  }

  /* --- legend (doubles as the class filter) ------------------------------------------- */
  var legend = document.getElementById("tf-legend");
  DATA.classes.forEach(function (c) {
    var li = el("li");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.id = "tf-class-" + c.name;
    box.setAttribute("data-class", c.name);
    box.addEventListener("change", function () {
      state.hiddenClasses[c.name] = !box.checked;
      applyFilters(true);
    });
    var swatch = el("span", "tf-swatch", SHAPE_GLYPHS[c.shape] || "\u25CF");
    swatch.style.color = c.color;
    var label = el("label", null, c.name);
    label.htmlFor = box.id;
    li.appendChild(box);
    li.appendChild(swatch);
    li.appendChild(label);
    li.appendChild(el("span", "tf-count", c.count));
    legend.appendChild(li);
  });

  /* --- pillar and topic filters --------------------------------------------------------- */
  function fillSelect(id, views) {
    var select = document.getElementById(id);
    Object.keys(views).forEach(function (name) {
      var opt = el("option", null, name + " (" + views[name].length + ")");
      opt.value = name;
      select.appendChild(opt);
    });
    if (!Object.keys(views).length) { select.disabled = true; }
    return select;
  }
  function indexSet(list) {
    var s = {};
    (list || []).forEach(function (i) { s[DATA.nodes[i].id] = true; });
    return s;
  }
  var pillarSelect = fillSelect("tf-pillar", DATA.pillars);
  var topicSelect = fillSelect("tf-topic", DATA.topics);
  /* a pillar or topic is looked for in the whole graph, not only in what is drawn */
  function filterWhole() {
    if (state.mode !== "all") { showAll(); }
    applyFilters(true);
  }
  pillarSelect.addEventListener("change", function () { state.pillar = pillarSelect.value; filterWhole(); });
  topicSelect.addEventListener("change", function () { state.topic = topicSelect.value; filterWhole(); });

  function isShown(n, pillarSet, topicSet) {
    if (state.hiddenClasses[n.cls]) { return false; }
    if (pillarSet && !pillarSet[n.id]) { return false; }
    if (topicSet && !topicSet[n.id]) { return false; }
    return true;
  }

  /* of the shown nodes, show what the class, pillar and topic filters let through */
  function applyFilters(fit) {
    var pillarSet = state.pillar ? indexSet(DATA.pillars[state.pillar]) : null;
    var topicSet = state.topic ? indexSet(DATA.topics[state.topic]) : null;
    var updates = [];
    var shownIds = [];
    nodes.getIds().forEach(function (id) {
      var visible = isShown(byId[id], pillarSet, topicSet);
      if (visible) { shownIds.push(id); }
      updates.push({ id: id, hidden: !visible });
    });
    nodes.update(updates);
    if (state.selected !== null && nodes.get(state.selected).hidden) { clearHighlight(); }
    var edgeUpdates = [];
    var shownEdges = 0;
    edges.get().forEach(function (e) {
      var visible = isShown(byId[e.from], pillarSet, topicSet) && isShown(byId[e.to], pillarSet, topicSet);
      if (visible) { shownEdges += 1; }
      edgeUpdates.push({ id: e.id, hidden: !visible });
    });
    edges.update(edgeUpdates);
    if (fit && shownIds.length) {
      if (state.stabilizing) { state.pendingFit = shownIds; } else { network.fit({ nodes: shownIds, animation: false }); }
    }
    var how = {
      overview: " — overview: click a node to expand it",
      expanded: " — click a node to expand it",
      all: ""
    }[state.mode];
    setStatus(shownIds.length + " of " + DATA.nodes.length + " nodes, " + shownEdges +
      " links shown" + how);
  }

  function setStatus(text) { document.getElementById("tf-status").textContent = text; }

  function resetFilters() {
    state.hiddenClasses = {};
    state.pillar = "";
    state.topic = "";
    pillarSelect.value = "";
    topicSelect.value = "";
    Array.prototype.forEach.call(legend.querySelectorAll("input"), function (b) { b.checked = true; });
    applyFilters();
  }
  document.getElementById("tf-reset").addEventListener("click", function () {
    resetFilters();
    clearHighlight();
    if (OVERVIEW) { showOverview(); }
    network.fit();
  });

  /* --- neighbourhood highlight and details ---------------------------------------------- */
  function highlight(id) {
    var near = {};
    near[id] = true;
    network.getConnectedNodes(id).forEach(function (m) { near[m] = true; });
    nodes.update(nodes.getIds().map(function (m) {
      return { id: m, color: near[m] ? byId[m].baseColor : DIM,
        font: { color: near[m] ? LABEL : DIM_LABEL } };
    }));
    edges.update(edges.get().map(function (e) {
      var on = e.from === id || e.to === id;
      return { id: e.id, color: { color: on ? "#333333" : "#eeeeee" },
        font: { color: on ? "#222222" : "rgba(0,0,0,0)" } };
    }));
    state.selected = id;
  }

  function clearHighlight() {
    if (state.selected === null) { return; }
    nodes.update(nodes.getIds().map(function (m) {
      return { id: m, color: byId[m].baseColor, font: { color: LABEL } };
    }));
    edges.update(edges.get().map(function (e) {
      return { id: e.id, color: { color: "#9aa5b1" }, font: { color: "#555555" } };
    }));
    state.selected = null;
    network.unselectAll();
    var details = document.getElementById("tf-details");
    details.textContent = "";
    details.appendChild(el("p", "tf-hint", "Click a node to see its details and neighbours."));
  }

  function linkList(title, ids) {
    var box = el("div");
    if (!ids.length) { return box; }
    box.appendChild(el("dt", null, title));
    var ul = el("ul");
    ids.forEach(function (item) {
      var li = el("li");
      var a = el("a", null, item.text);
      a.href = "#";
      a.addEventListener("click", function (ev) { ev.preventDefault(); select(item.id); });
      li.appendChild(a);
      ul.appendChild(li);
    });
    var dd = el("dd");
    dd.appendChild(ul);
    box.appendChild(dd);
    return box;
  }

  function showDetails(id) {
    var n = byId[id];
    var details = document.getElementById("tf-details");
    details.textContent = "";
    details.appendChild(el("h3", null, n.name));
    var badge = el("span", "tf-class", n.cls);
    badge.style.background = n.baseColor;
    details.appendChild(badge);
    var page = pageHref(n.id);
    if (page) {
      /* first, so that it is in view without scrolling the panel */
      var pa = el("a", "tf-page-link", "Everything about " + n.name);
      pa.href = page;
      var pp = el("p");
      pp.appendChild(pa);
      details.appendChild(pp);
    }
    var dl = el("dl");
    if (n.short !== n.name) { dl.appendChild(el("dt", null, "Short name")); dl.appendChild(el("dd", null, n.short)); }
    FIELD_NAMES.slice(1).forEach(function (f) {
      if (n[f[0]]) { dl.appendChild(el("dt", null, f[1])); dl.appendChild(el("dd", null, n[f[0]])); }
    });
    if (n.quote) {
      dl.appendChild(el("dt", null, "Source quote"));
      var dd = el("dd");
      dd.appendChild(el("blockquote", null, n.quote));
      dl.appendChild(dd);
    }
    if (n.summary) { dl.appendChild(el("dt", null, "Stands for")); dl.appendChild(el("dd", null, n.summary)); }
    if (n.url && /^https?:\/\//i.test(n.url)) {
      dl.appendChild(el("dt", null, "Official page"));
      var ddu = el("dd");
      var a = el("a", null, n.url);
      a.href = n.url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      ddu.appendChild(a);
      dl.appendChild(ddu);
    }
    var out = [], into = [];
    DATA.edges.forEach(function (e) {
      if (e.from === id) { out.push({ id: e.to, text: e.label + " \u2192 " + byId[e.to].short }); }
      if (e.to === id) { into.push({ id: e.from, text: byId[e.from].short + " \u2192 " + e.label }); }
    });
    dl.appendChild(linkList("Links out (" + out.length + ")", out));
    dl.appendChild(linkList("Links in (" + into.length + ")", into));
    dl.appendChild(el("dt", null, "IRI"));
    dl.appendChild(el("dd", null, n.id));
    details.appendChild(dl);
  }

  /* the address of a resource's own page (entity pages of serve or site), or null */
  function pageHref(id) {
    var p = DATA.pages;
    if (!p || id.indexOf(p.prefix) !== 0 || id.length === p.prefix.length) { return null; }
    return p.base + id.slice(p.prefix.length) + p.suffix;
  }

  /* --- nodes with no link at all: listed, so none is left unexplained ------------------ */
  if (DATA.unlinked.length) {
    var box = document.getElementById("tf-unlinked-box");
    box.hidden = false;
    var list = document.getElementById("tf-unlinked");
    DATA.unlinked.forEach(function (u) {
      var li = el("li");
      var a = el("a", null, u.name);
      a.href = "#";
      a.addEventListener("click", function (ev) { ev.preventDefault(); select(u.id); });
      li.appendChild(a);
      li.appendChild(el("span", null, " (" + u.cls + ")" + (u.description ? ": " + u.description : "")));
      list.appendChild(li);
    });
  }

  function select(id) {
    if (state.shown[id] && nodes.get(id).hidden) { resetFilters(); }
    if (state.mode !== "all") { expand(id); }
    network.selectNodes([id]);
    highlight(id);
    showDetails(id);
    network.focus(id, { scale: 1.1, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
  }

  network.on("click", function (params) {
    if (params.nodes.length) { select(params.nodes[0]); } else { clearHighlight(); }
  });

  /* --- search ------------------------------------------------------------------------------ */
  var names = document.getElementById("tf-names");
  var seen = {};
  DATA.nodes.forEach(function (n) {
    [n.short, n.name].forEach(function (s) {
      if (s && !seen[s]) { seen[s] = true; var o = el("option"); o.value = s; names.appendChild(o); }
    });
  });

  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return null; }
    var tests = [
      function (s) { return s === q; },
      function (s) { return s.indexOf(q) === 0; },
      function (s) { return s.indexOf(q) >= 0; }
    ];
    for (var t = 0; t < tests.length; t++) {
      for (var i = 0; i < DATA.nodes.length; i++) {
        var n = DATA.nodes[i];
        if (tests[t](String(n.short).toLowerCase()) || tests[t](String(n.name).toLowerCase())) {
          return n.id;
        }
      }
    }
    return null;
  }
  window.tfGraph.find = find;
  window.tfGraph.select = select;

  document.getElementById("tf-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var query = document.getElementById("tf-search").value;
    var id = find(query);
    if (id === null) {
      setStatus("No node matches \u201C" + query + "\u201D");
      return;
    }
    select(id);
    setStatus("Found " + byId[id].name);
  });

  applyFilters(false);
})();
