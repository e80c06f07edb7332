// The share bars of the corridors table: each bar as wide as its corridor's share (the
// figure is written beside it; the bar only repeats it). No inline style under the CSP.
(function () {
  "use strict";
  document.querySelectorAll(".flow-bar[data-share]").forEach(function (bar) {
    bar.style.width = Math.max(1, Number(bar.dataset.share) * 1.5) + "px";
  });
}());
