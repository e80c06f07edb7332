// Draws the dashboard charts from the json_script blocks next to each <canvas data-chart>.
// The tables on the page hold the figures; a chart only repeats them. A suppressed cell is
// null: the line or bar is left out and a "×" in the series' colour is drawn at its place on
// the axis, so that it never reads as a zero or a missing year (chart.$suppressed counts them).
(function () {
  "use strict";
  // Paul Tol's "muted" scheme (distinct for colour-blind readers too), then three more hues:
  // twelve series before a colour repeats.
  var COLOURS = ["#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77",
                 "#cc6677", "#882255", "#aa4499", "#1f78b4", "#e08214", "#6b6b6b"];
  // Past this many series a bar chart stacks them: one bar per year, not a barcode.
  var STACK_FROM = 7;
  var suppressedMarks = {
    id: "suppressed",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, y = chart.scales.y, x = chart.scales.x, drawn = 0;
      ctx.save();
      ctx.font = "bold 14px sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "bottom";
      chart.data.datasets.forEach(function (dataset, i) {
        var meta = chart.getDatasetMeta(i);
        if (meta.hidden) { return; }
        dataset.data.forEach(function (value, j) {
          if (value !== null) { return; }
          var element = meta.data[j];
          var at = element && isFinite(element.x) ? element.x : x.getPixelForValue(j);
          ctx.fillStyle = dataset.borderColor;
          ctx.fillText("\u00d7", at, y.getPixelForValue(0) - 2);
          drawn += 1;
        });
      });
      ctx.restore();
      chart.$suppressed = drawn;
    }
  };
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var table = JSON.parse(source.textContent);
    var line = table.kind === "line";
    var stacked = !line && table.rows.length >= STACK_FROM;
    new Chart(canvas, {
      type: line ? "line" : "bar",
      plugins: [suppressedMarks],
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
        scales: { x: { stacked: stacked },
                  y: { beginAtZero: true, stacked: stacked, ticks: { precision: 0 } } }
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
