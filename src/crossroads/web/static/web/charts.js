// Draws the dashboard charts from the json_script blocks next to each <canvas data-chart>.
// The tables on the page hold the figures; a chart only repeats them. Suppressed cells are
// null and drawn as gaps.
(function () {
  "use strict";
  var COLOURS = ["#0b5cad", "#b45309", "#1a7f37", "#a40e26", "#6f42c1", "#0e7490",
                 "#4a5360", "#c2410c", "#15803d", "#9d174d", "#1e3a8a", "#854d0e"];
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var table = JSON.parse(source.textContent);
    var line = table.kind === "line";
    new Chart(canvas, {
      type: line ? "line" : "bar",
      data: {
        labels: table.columns.map(function (c) { return c.label; }),
        datasets: table.rows.map(function (row, i) {
          var colour = COLOURS[i % COLOURS.length];
          return { label: row.label, data: row.cells, backgroundColor: colour,
                   borderColor: colour, spanGaps: false };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
