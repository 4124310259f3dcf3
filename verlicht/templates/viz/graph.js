/* The graph page's behaviour: filters and search over vis DataViews, the details panel, cluster labels.
   All data is in the page (#verlicht-data); nothing is fetched. Text is put in with textContent only. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("verlicht-data").textContent);
  var S = data.strings;
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var byId = new Map(data.nodes.map(function (n) { return [n.id, n]; }));
  var state = { theme: "", group: "", coverage: "", polarity: "", minSupport: 0, query: "", showAll: false };
  var shownNodes = new Set(), shownEdges = new Set(), capped = false;
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return shownNodes.has(n.id); } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return shownEdges.has(e.id); } });
  var $ = function (id) { return document.getElementById(id); };

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  /* Which nodes and edges pass the filters: claims first, then the goals and links they lead to. */
  function compute() {
    var vn = new Set(), ve = new Set();
    var q = fold(state.query.trim());
    data.edges.forEach(function (e) {
      if (e.vkind === "link") return;
      if (state.polarity && e.polarity !== state.polarity) return;
      if (state.coverage && e.coverage !== state.coverage) return;
      if (state.group && e.groups.indexOf(state.group) < 0) return;
      if (e.support < state.minSupport) return;
      if (state.theme && byId.get(e.from).theme !== state.theme && byId.get(e.to).theme !== state.theme) return;
      ve.add(e.id); vn.add(e.from); vn.add(e.to);
    });
    data.nodes.forEach(function (n) {
      if (n.anchor && (!state.theme || n.theme === state.theme || n.vkind !== "concept")) vn.add(n.id);
    });
    capped = false;
    if (data.cap && !state.showAll && !q) {  // the best supported concepts first
      var ranked = data.nodes.filter(function (n) { return vn.has(n.id) && n.vkind === "concept"; });
      if (ranked.length > data.cap) {
        capped = true;
        ranked.sort(function (a, b) { return b.support - a.support || (a.id < b.id ? -1 : 1); });
        var keep = new Set(ranked.slice(0, data.cap).map(function (n) { return n.id; }));
        data.nodes.forEach(function (n) { if (n.vkind === "concept" && !keep.has(n.id) && !n.anchor) vn.delete(n.id); });
        ve.forEach(function (id) { var e = edges.get(id); if (!vn.has(e.from) || !vn.has(e.to)) ve.delete(id); });
      }
    }
    if (data.edgeCap && !state.showAll && !q && ve.size > data.edgeCap) {  // then the best supported links
      capped = true;
      var claims = Array.from(ve, function (id) { return edges.get(id); });
      claims.sort(function (a, b) { return b.support - a.support || (a.id < b.id ? -1 : 1); });
      ve = new Set(claims.slice(0, data.edgeCap).map(function (e) { return e.id; }));
      vn = new Set();
      ve.forEach(function (id) { var e = edges.get(id); vn.add(e.from); vn.add(e.to); });
      data.nodes.forEach(function (n) { if (n.anchor) vn.add(n.id); });
    }
    data.edges.forEach(function (e) {
      if (e.vkind !== "link") return;
      var to = byId.get(e.to);
      if (vn.has(e.from) && (vn.has(e.to) || (to.vkind !== "concept" && !to.anchor))) { ve.add(e.id); vn.add(e.to); }
    });
    if (q) {
      var hits = new Set();
      vn.forEach(function (id) {
        var n = byId.get(id);
        if (fold(n.label).indexOf(q) >= 0 || fold(n.code).indexOf(q) >= 0) hits.add(id);
      });
      var near = new Set(hits);
      ve.forEach(function (id) {
        var e = edges.get(id);
        if (hits.has(e.from) || hits.has(e.to)) { near.add(e.from); near.add(e.to); } else ve.delete(id);
      });
      vn = near;
    }
    shownNodes = vn; shownEdges = ve;
  }

  function countConcepts(set) {
    var n = 0;
    set.forEach(function (id) { if (byId.get(id).vkind === "concept") n++; });
    return n;
  }

  function apply() {
    compute();
    // Both views change at once: vis-network would otherwise draw the whole graph after each of them.
    var renderer = network && network.renderer;
    if (renderer && "allowRedraw" in renderer) renderer.allowRedraw = false;
    try { nodeView.refresh(); edgeView.refresh(); } finally {
      if (renderer && "allowRedraw" in renderer) { renderer.allowRedraw = true; network.redraw(); }
    }
    var total = data.nodes.filter(function (n) { return n.vkind === "concept"; }).length;
    var claims = data.edges.filter(function (e) { return e.vkind !== "link"; }).length;
    var shownClaims = 0;
    shownEdges.forEach(function (id) { if (edges.get(id).vkind !== "link") shownClaims++; });
    var count = $("count");
    count.textContent = total
      ? countConcepts(shownNodes) + " " + S.of + " " + total + " " + S.concepts + " · " + shownClaims + " " + S.of + " "
        + claims + " " + S.links + " " + S.shown
      : shownNodes.size + " " + S.of + " " + data.nodes.length + " " + S.shown;
    count.dataset.nodes = String(shownNodes.size);
    count.dataset.edges = String(shownEdges.size);
    $("capped").hidden = !capped;
    $("capped").textContent = S.capped;
  }

  function options(select, values, label) {
    values.forEach(function (v) { select.appendChild(el("option", { value: v, text: label(v) })); });
    if (!values.length) select.closest("label").hidden = true;
  }
  options($("f-theme"), Object.keys(data.themes), function (k) { return data.themes[k]; });
  options($("f-group"), data.groups, function (g) { return S.groups[g] || g; });
  options($("f-coverage"), data.coverages, function (c) { return S.coverages[c]; });
  options($("f-polarity"), data.polarities, function (p) { return S.polarities[p] || p; });
  $("f-support").max = String(data.maxSupport);
  if (!data.maxSupport) $("f-support").closest("label").hidden = true;
  if (data.cap || data.edgeCap) $("show-all-label").hidden = false;

  var timer = null;
  function bind(id, key, read) {
    $(id).addEventListener("input", function (ev) {
      state[key] = read(ev.target);
      clearTimeout(timer);
      timer = setTimeout(apply, key === "query" ? 120 : 0);
    });
  }
  bind("f-theme", "theme", function (t) { return t.value; });
  bind("f-group", "group", function (t) { return t.value; });
  bind("f-coverage", "coverage", function (t) { return t.value; });
  bind("f-polarity", "polarity", function (t) { return t.value; });
  bind("f-support", "minSupport", function (t) { return Number(t.value) || 0; });
  bind("search", "query", function (t) { return t.value; });
  bind("show-all", "showAll", function (t) { return t.checked; });
  $("clear").addEventListener("click", function () {
    $("filters").reset();
    Object.assign(state, { theme: "", group: "", coverage: "", polarity: "", minSupport: 0, query: "", showAll: false });
    apply();
  });

  /* -- the details panel -------------------------------------------------------------------------- */
  function list(items) {
    if (!items || !items.length) return el("span", { text: S.none });
    return el.apply(null, ["ul", {}].concat(items.map(function (t) { return el("li", { text: t }); })));
  }
  function row(dl, term, value) {
    dl.appendChild(el("dt", { text: term }));
    dl.appendChild(el("dd", {}, typeof value === "string" ? el("span", { text: value }) : value));
  }
  /* Goals in reach: every goal with its distance, then the path to the nearest (``extra`` claims added). */
  function goals(reach, extra) {
    if (!reach || !reach.goals.length) return el("span", { text: S.none });
    var items = reach.goals.map(function (g) {
      return data.goalLabels[g[0]] + " (" + (g[1] + extra) + " " + S.distance + ")";
    });
    var box = el("div", {}, list(items));
    var text = S.via + ": " + reach.path.join(" → ");
    if (reach.indicators.length) text += "; " + S.indicators.toLowerCase() + ": " + reach.indicators.join(", ");
    box.appendChild(el("p", { class: "small path", text: text }));
    return box;
  }
  function findings(box, items) {
    if (!items || !items.length) return;
    box.appendChild(el("h3", { text: S.findings }));
    box.appendChild(list(items.map(function (f) {
      var where = [f.study, f.review].filter(Boolean).join("; ");
      return (S.relations[f.relation] || f.relation) + ": " + f.text + (where ? " (" + where + ")" : "");
    })));
  }
  function holders(h) {
    return list(Object.keys(h || {}).map(function (g) { return (S.groups[g] || g) + ": " + h[g].join(", "); }));
  }

  function showClaim(box, d, item) {
    box.appendChild(el("h2", { text: d.cause + " → " + d.effect }));
    var dl = el("dl");
    row(dl, S.polarity, d.type ? S.relation + " (" + d.type + ")" : S.polarities[d.polarity]);
    if (d.coverage) row(dl, S.coverage, S.coverages[d.coverage]);
    row(dl, S.support, d.support + " " + S.respondents);
    row(dl, S.holders, holders(d.holders));
    if (d.kind === "assumption") {
      row(dl, S.cause_measured, list(d.cause_indicators));
      row(dl, S.effect_measured, list(d.effect_indicators));
      if (d.tested_by.length) row(dl, S.tested_by, list(d.tested_by));
      var effect = data.details["concept:" + d.effect_code];
      var reach = effect && effect.goals;
      row(dl, S.goals, goals(reach && { goals: reach.goals, path: [d.cause].concat(reach.path),
                                        indicators: reach.indicators }, 1));
    }
    box.appendChild(dl);
    if (d.contested) box.appendChild(el("p", { class: "contested", text: S.contested }));
    box.appendChild(el("h3", { text: S.quotes + " (" + d.quotes_total + ")" }));
    var quotes = el("div", { class: "quotes" });
    d.quotes.forEach(function (q) {
      quotes.appendChild(el("blockquote", { class: item && item.polarity === "-" ? "neg" : "" }, el("span", { text: q.text }),
        el("cite", { class: "where", text: q.source + ":" + q.line + " · " + q.respondent + " (" + (S.groups[q.group] || q.group) + ")" })));
    });
    box.appendChild(quotes);
    if (d.quotes_total > d.quotes.length) {
      box.appendChild(el("p", { class: "small", text: S.more_quotes.replace("{n}", d.quotes_total - d.quotes.length).replace("{claim}", d.claim) }));
    }
    findings(box, d.findings);
  }

  function showConcept(box, d, id) {
    box.appendChild(el("h2", { text: d.label }));
    var dl = el("dl");
    row(dl, S.type, S.types[d.type] || d.type);
    if (d.theme) row(dl, S.theme, d.theme);
    if (d.description) row(dl, S.description, d.description);
    row(dl, S.support, d.support + " " + S.respondents);
    row(dl, S.indicators, list(d.indicators));
    row(dl, S.goals, goals(d.goals, 0));
    box.appendChild(dl);
    var claims = edgeView.get({ filter: function (e) { return (e.from === id || e.to === id) && e.vkind !== "link"; } });
    if (claims.length) {
      box.appendChild(el("h3", { text: S.links + " (" + claims.length + ")" }));
      var ul = el("ul");
      claims.forEach(function (e) {
        var c = data.details[e.id];
        var b = el("button", { type: "button", class: "link", text: c.cause + " → " + c.effect + " (" + (S.polarities[e.polarity] || e.polarity) + ", " + e.support + ")" });
        b.addEventListener("click", function () { select(e.id); });
        ul.appendChild(el("li", {}, b));
      });
      box.appendChild(ul);
    }
    findings(box, d.findings);
  }

  function showOther(box, d) {
    box.appendChild(el("h2", { text: d.label || d.goal || "" }));
    var dl = el("dl");
    if (d.kind === "goal") { row(dl, S.goal, d.text); if (d.theme) row(dl, S.theme, d.theme); }
    if (d.kind === "tracks") { row(dl, S.concept, d.concept); row(dl, S.goal, d.goal); row(dl, S.indicators, list(d.indicators)); }
    if (d.kind === "step") {
      row(dl, S.stage, S.types["step_" + d.stage] || d.stage);
      if (d.measure) row(dl, S.measure, d.measure);
      row(dl, S.coverage, S.coverages[d.coverage]);
      row(dl, S.indicators, list(d.indicators.concat(d.concept_indicators)));
      row(dl, S.concepts_h, list(d.concepts));
      row(dl, S.goals, list(d.goals));
      row(dl, S.source, d.source);
    }
    if (d.kind === "mechanism") {
      if (d.concept) row(dl, S.concept, d.concept);
      row(dl, S.coverage, S.coverages[d.coverage]);
      row(dl, S.indicators, list(d.concept_indicators));
      row(dl, S.goals, goals(d.goals, 0));
      row(dl, S.source, d.source);
    }
    box.appendChild(dl);
  }

  function show(id) {
    var box = $("details");
    box.textContent = "";
    var d = data.details[id];
    if (!d) { box.appendChild(el("p", { class: "hint", text: S.click_hint })); return; }
    box.dataset.selected = id;
    if (d.kind === "assumption" || d.kind === "relation") showClaim(box, d, edges.get(id));
    else if (d.kind === "concept") showConcept(box, d, id);
    else showOther(box, d);
  }

  function select(id) {
    if (shownNodes.has(id)) network.selectNodes([id]);
    else if (shownEdges.has(id)) network.selectEdges([id]);
    show(id);
  }

  /* -- the network ----------------------------------------------------------------------------------- */
  var network = null;
  compute();
  network = new vis.Network($("graph"), { nodes: nodeView, edges: edgeView }, data.options);
  network.on("click", function (p) {
    if (p.nodes.length) show(p.nodes[0]);
    else if (p.edges.length) show(p.edges[0]);
  });
  function ready() { document.body.dataset.ready = "1"; }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: false }); ready(); });
  } else {
    network.once("afterDrawing", ready);
  }
  if (data.clusters.length) {
    network.on("beforeDrawing", function (ctx) {
      ctx.save();
      ctx.font = "600 28px system-ui, sans-serif";
      ctx.fillStyle = "rgba(60,60,60,0.55)";
      ctx.textAlign = "center";
      data.clusters.forEach(function (c) { ctx.fillText(c.label, c.x, c.y); });
      ctx.restore();
    });
  }
  apply();
  window.verlicht = { network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
                      state: state, apply: apply, select: select };
})();
