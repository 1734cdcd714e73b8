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
  var state = { hiddenClasses: {}, pillar: "", topic: "", selected: null };

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

  DATA.nodes.forEach(function (n) {
    byId[n.id] = n;
    n.baseColor = n.color;
    n.title = tooltip(n);
  });

  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var container = document.getElementById("tf-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);
  window.tfGraph = { network: network, nodes: nodes, edges: edges, data: DATA };
  window.tfGraphReady = false;

  network.once("afterDrawing", function () {
    window.tfGraphDrawnAt = performance.now();
    window.tfGraphReady = true;
    document.body.setAttribute("data-ready", "true");
  });
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
  });

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
  pillarSelect.addEventListener("change", function () { state.pillar = pillarSelect.value; applyFilters(true); });
  topicSelect.addEventListener("change", function () { state.topic = topicSelect.value; applyFilters(true); });

  function isShown(n, pillarSet, topicSet) {
    if (state.hiddenClasses[n.cls]) { return false; }
    if (pillarSet && !pillarSet[n.id]) { return false; }
    if (topicSet && !topicSet[n.id]) { return false; }
    return true;
  }

  /* show only what the class, pillar and topic filters let through; fit the view to it */
  function applyFilters(fit) {
    var pillarSet = state.pillar ? indexSet(DATA.pillars[state.pillar]) : null;
    var topicSet = state.topic ? indexSet(DATA.topics[state.topic]) : null;
    var updates = [];
    var shown = 0;
    var shownIds = [];
    DATA.nodes.forEach(function (n) {
      var visible = isShown(n, pillarSet, topicSet);
      if (visible) { shown += 1; shownIds.push(n.id); }
      updates.push({ id: n.id, hidden: !visible });
    });
    nodes.update(updates);
    if (state.selected !== null && nodes.get(state.selected).hidden) { clearHighlight(); }
    var edgeUpdates = [];
    var shownEdges = 0;
    DATA.edges.forEach(function (e) {
      var visible = isShown(byId[e.from], pillarSet, topicSet) && isShown(byId[e.to], pillarSet, topicSet);
      if (visible) { shownEdges += 1; }
      edgeUpdates.push({ id: e.id, hidden: !visible });
    });
    edges.update(edgeUpdates);
    if (fit && shownIds.length) { network.fit({ nodes: shownIds, animation: false }); }
    setStatus(shown + " of " + DATA.nodes.length + " nodes, " + shownEdges + " of " +
      DATA.edges.length + " links shown");
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
    network.fit();
  });

  /* --- neighbourhood highlight and details ---------------------------------------------- */
  function highlight(id) {
    var near = {};
    near[id] = true;
    network.getConnectedNodes(id).forEach(function (m) { near[m] = true; });
    nodes.update(DATA.nodes.map(function (n) {
      return { id: n.id, color: near[n.id] ? n.baseColor : DIM,
        font: { color: near[n.id] ? LABEL : DIM_LABEL } };
    }));
    edges.update(DATA.edges.map(function (e) {
      var on = e.from === id || e.to === id;
      return { id: e.id, color: { color: on ? "#333333" : "#eeeeee" },
        font: { color: on ? "#222222" : "rgba(0,0,0,0)" } };
    }));
    state.selected = id;
  }

  function clearHighlight() {
    if (state.selected === null) { return; }
    nodes.update(DATA.nodes.map(function (n) {
      return { id: n.id, color: n.baseColor, font: { color: LABEL } };
    }));
    edges.update(DATA.edges.map(function (e) {
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
    var dl = el("dl");
    if (n.label !== n.name) { dl.appendChild(el("dt", null, "Short name")); dl.appendChild(el("dd", null, n.label)); }
    FIELD_NAMES.slice(1).forEach(function (f) {
      if (n[f[0]]) { dl.appendChild(el("dt", null, f[1])); dl.appendChild(el("dd", null, n[f[0]])); }
    });
    if (n.quote) {
      dl.appendChild(el("dt", null, "Source quote"));
      var dd = el("dd");
      dd.appendChild(el("blockquote", null, n.quote));
      dl.appendChild(dd);
    }
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
      if (e.from === id) { out.push({ id: e.to, text: e.label + " \u2192 " + byId[e.to].label }); }
      if (e.to === id) { into.push({ id: e.from, text: byId[e.from].label + " \u2192 " + e.label }); }
    });
    dl.appendChild(linkList("Links out (" + out.length + ")", out));
    dl.appendChild(linkList("Links in (" + into.length + ")", into));
    dl.appendChild(el("dt", null, "IRI"));
    dl.appendChild(el("dd", null, n.id));
    details.appendChild(dl);
  }

  function select(id) {
    if (nodes.get(id).hidden) { resetFilters(); }
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
    [n.label, n.name].forEach(function (s) {
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
        if (tests[t](String(n.label).toLowerCase()) || tests[t](String(n.name).toLowerCase())) {
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
})();
