// The network picture of a case (cytoscape.js), drawn from the json_script blocks of the page.
// The tables beside it hold the same entities and links: expanding a node (a click on it in the
// picture, or its "Expand" button in the table, which the keyboard reaches) asks the
// neighbours route and adds what it answers to both, and the status line says what came.
(function () {
  "use strict";
  // Paul Tol's "muted" scheme: distinct for colour-blind readers too.
  var COMMUNITY = ["#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77",
                   "#cc6677", "#882255", "#aa4499", "#1f78b4", "#e08214", "#6b6b6b"];
  var PERSON = ["Person"], ORG = ["Organization", "Company"];

  function kindOf(schema) {
    if (PERSON.indexOf(schema) >= 0) { return "person"; }
    if (ORG.indexOf(schema) >= 0) { return "org"; }
    return "thing";
  }

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  function cell(row, text, tag) {
    var td = document.createElement(tag || "td");
    if (text instanceof Node) { td.appendChild(text); } else { td.textContent = text; }
    row.appendChild(td);
    return td;
  }

  function start() {
    var container = document.getElementById("network-graph");
    var source = document.getElementById("network-elements");
    if (!container || !source || typeof cytoscape === "undefined") { return; }
    var config = document.getElementById("network-config").dataset;
    var query = JSON.parse(document.getElementById("network-query").textContent);
    var kinds = JSON.parse(document.getElementById("network-kinds").textContent);
    var data = JSON.parse(source.textContent);
    var status = document.getElementById("network-status");
    var entityRows = document.querySelector("#network-entities tbody");
    var linkRows = document.querySelector("#network-links tbody");

    function nodeData(node) {
      return {id: node.id, label: node.label, schema: node.schema, kind: kindOf(node.schema),
              case: node.case, other: node.other_case ? "yes" : "no", url: node.url,
              community: node.community, broker: node.broker ? "yes" : "no",
              colour: node.community === null || node.community === undefined ? "#ffffff"
                : COMMUNITY[node.community % COMMUNITY.length]};
    }
    function edgeData(edge) {
      return {id: edge.id, source: edge.source, target: edge.target, schema: edge.schema,
              label: edge.schema === "shared" ? (kinds[edge.kind] || edge.kind) : edge.schema,
              shared: edge.schema === "shared" ? "yes" : "no"};
    }
    var cy = cytoscape({
      container: container,
      elements: data.nodes.map(function (n) { return {group: "nodes", data: nodeData(n)}; })
        .concat(data.edges.map(function (e) { return {group: "edges", data: edgeData(e)}; })),
      wheelSensitivity: 0.3,
      style: [
        {selector: "node", style: {"label": "data(label)", "font-size": 10, "width": 22,
          "height": 22, "text-valign": "bottom", "text-margin-y": 3, "color": "#1b1f24",
          "border-width": 2, "border-color": "#1b1f24", "background-color": "#9aa5b1"}},
        {selector: "node[kind = 'person']", style: {"background-color": "#e08214", "shape": "ellipse"}},
        {selector: "node[kind = 'org']", style: {"background-color": "#1f78b4", "shape": "round-rectangle"}},
        {selector: "node[kind = 'thing']", style: {"background-color": "#9aa5b1", "shape": "diamond"}},
        {selector: "node[other = 'yes']", style: {"border-style": "dashed", "border-width": 3}},
        {selector: "node.hl-communities", style: {"background-color": "data(colour)"}},
        {selector: "node.hl-brokers[broker = 'yes']", style: {"width": 38, "height": 38,
          "border-width": 5, "border-color": "#cc0000", "font-weight": "bold"}},
        {selector: "node:selected", style: {"border-color": "#005fcc", "border-width": 5}},
        {selector: "edge", style: {"width": 2, "line-color": "#6b6b6b", "curve-style": "bezier",
          "label": "data(label)", "font-size": 8, "text-rotation": "autorotate", "color": "#3d4650"}},
        {selector: "edge[shared = 'yes']", style: {"line-style": "dashed", "line-color": "#cc0000",
          "width": 3}}
      ],
      layout: {name: "cose", animate: false, randomize: false, nodeDimensionsIncludeLabels: true}
    });
    window.crossroadsNetwork = cy;  // for the browser tests and the curious

    function relayout() {
      cy.layout({name: "cose", animate: false, randomize: false,
                 nodeDimensionsIncludeLabels: true}).run();
    }
    function degrees() {
      entityRows.querySelectorAll("tr[data-node]").forEach(function (row) {
        var node = cy.getElementById(row.dataset.node);
        var at = row.querySelector("[data-degree]");
        if (node.nonempty() && at) { at.textContent = String(node.degree(false)); }
      });
    }
    function entityRow(entity) {
      var row = document.createElement("tr");
      row.dataset.node = String(entity.id);
      var link = document.createElement("a");
      link.href = entity.url;
      link.textContent = entity.label;
      cell(row, link, "th").scope = "row";
      cell(row, entity.schema);
      cell(row, entity.case);
      cell(row, "—");
      cell(row, "—");
      var degree = cell(row, "0");
      degree.className = "num";
      degree.dataset.degree = "";
      cell(row, expandButton(entity.id, entity.label));
      entityRows.appendChild(row);
    }
    function linkRow(edge, from, to) {
      var row = document.createElement("tr");
      row.dataset.edge = edge.id;
      cell(row, edge.schema === "shared" ? format(config.textShared, {kind: kinds[edge.kind] || edge.kind}) : edge.schema);
      cell(row, from);
      cell(row, to);
      cell(row, edge.start ? edge.start + (edge.end && edge.end !== edge.start ? " – " + edge.end : "") : "—");
      linkRows.appendChild(row);
    }
    function expandButton(id, name) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link";
      button.dataset.expand = String(id);
      button.textContent = config.textExpand;
      button.setAttribute("aria-label", config.textExpand + " " + name);
      return button;
    }
    function asNode(entity, reference) {
      return {id: String(entity.id), label: entity.caption || entity.schema, schema: entity.schema,
              case: entity.case_reference, other_case: entity.case_reference !== reference,
              community: null, broker: false,
              url: "/network/entities/" + entity.id + "/"};
    }
    var reference = (data.nodes.filter(function (n) { return !n.other_case; })[0] || {}).case;

    function expand(id) {
      var params = new URLSearchParams();
      (query.schema || []).forEach(function (s) { params.append("schema", s); });
      if (query.start) { params.set("start", query.start); }
      if (query.end) { params.set("end", query.end); }
      var url = config.neighbours.replace(/\/0\/neighbours$/, "/" + id + "/neighbours");
      return fetch(url + (params.toString() ? "?" + params : ""), {credentials: "same-origin",
          headers: {"Accept": "application/json"}})
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (answer) {
          var added = {entities: 0, links: 0};
          var centre = answer.entity;
          var found = answer.neighbours.concat(answer.shared.map(function (s) { return s.entity; }));
          found.forEach(function (entity) {
            if (cy.getElementById(String(entity.id)).nonempty()) { return; }
            var node = asNode(entity, reference);
            cy.add({group: "nodes", data: nodeData(node)});
            entityRow(node);
            added.entities += 1;
          });
          var names = {};
          names[centre.id] = centre.caption;
          found.forEach(function (e) { names[e.id] = e.caption; });
          answer.links.forEach(function (link) {
            var edge = {id: "l" + link.id, source: String(link.source_entity_id),
                        target: String(link.target_entity_id), schema: link.schema,
                        start: link.start_date, end: link.end_date};
            if (cy.getElementById(edge.id).nonempty() || cy.getElementById(edge.source).empty()
                || cy.getElementById(edge.target).empty()) { return; }
            cy.add({group: "edges", data: edgeData(edge)});
            linkRow(edge, names[link.source_entity_id], names[link.target_entity_id]);
            added.links += 1;
          });
          answer.shared.forEach(function (s) {
            var edge = {id: "s" + centre.id + "-" + s.entity.id + "-" + s.kind,
                        source: String(centre.id), target: String(s.entity.id),
                        schema: "shared", kind: s.kind};
            var reverse = "s" + s.entity.id + "-" + centre.id + "-" + s.kind;
            if (cy.getElementById(edge.id).nonempty() || cy.getElementById(reverse).nonempty()) {
              return;
            }
            cy.add({group: "edges", data: edgeData(edge)});
            linkRow(edge, centre.caption + " (" + centre.case_reference + ")",
                    s.entity.caption + " (" + s.entity.case_reference + ")");
            added.links += 1;
          });
          degrees();
          marks();
          relayout();
          status.textContent = format(config.textExpanded, {name: centre.caption,
            entities: added.entities, links: added.links});
          return added;
        })
        .catch(function () { status.textContent = config.textFailed; });
    }
    window.crossroadsExpand = expand;

    var highlight = {communities: false, brokers: false};
    function marks() {
      cy.nodes().toggleClass("hl-communities", highlight.communities);
      cy.nodes().toggleClass("hl-brokers", highlight.brokers);
    }

    cy.on("tap", "node", function (event) { expand(event.target.id()); });
    entityRows.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-expand]");
      if (button) { expand(button.dataset.expand); }
    });
    document.querySelectorAll("button[data-expand]").forEach(function (b) { b.hidden = false; });

    var tools = document.querySelector(".network-tools");
    tools.hidden = false;
    tools.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button) { return; }
      var action = button.dataset.action;
      if (action === "communities" || action === "brokers") {
        var on = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", on ? "true" : "false");
        highlight[action] = on;
        marks();
      } else if (action === "fit") {
        cy.fit(undefined, 20);
      } else if (action === "png") {
        var link = document.createElement("a");
        link.href = cy.png({full: true, scale: 2, bg: "#ffffff"});
        link.download = config.file + ".png";
        document.body.appendChild(link);
        link.click();
        link.remove();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
