/* ipai charts drawn from data attributes (the Content-Security-Policy allows scripts from /static
   only, so pages carry data, not inline script): <canvas data-chart="topics|industry" data-points=…>.
   Runs when the page loads (or, if Chart.js is not there yet, once everything has loaded) and again when htmx
   brings in new content (the landscape's second half). */
(function () {
  "use strict";

  function topics(el, points) {
    var big = Math.max.apply(null, points.map(function (t) { return t.size; }).concat([1]));
    return {type: "bubble", data: {datasets: points.map(function (t, i) {
        return {label: (t.label || t.label_en || t.label_zh), data: [{x: t.x, y: t.y, r: 4 + 22 * Math.sqrt(t.size / big)}],
                backgroundColor: "hsla(" + (i * 47 % 360) + ",70%,55%,0.55)"};
      })},
      options: {plugins: {legend: {display: false}, title: {display: true, text: el.getAttribute("data-title")},
                          tooltip: {callbacks: {label: function (c) {
                            var t = points[c.datasetIndex];
                            return (t.label || (t.label_en + " " + (t.label_zh || ""))) + " (" + t.size + ")";
                          }}}},
                scales: {x: {title: {display: true, text: el.getAttribute("data-x")}},
                         y: {title: {display: true, text: el.getAttribute("data-y")}}}}};
  }

  function industry(el, rows) {
    var zh = el.getAttribute("data-lang") === "zh";
    el.parentNode.style.height = Math.max(260, 60 + 24 * rows.length) + "px";  // one readable bar per field
    return {type: "bar", data: {labels: rows.map(function (x) {
        return x.id + " " + ((zh ? x.label_zh : x.label_en) || x.label_en || x.label_zh);
      }),
      datasets: [{label: el.getAttribute("data-series"), data: rows.map(function (x) { return x.patents; }),
                  backgroundColor: "hsla(210,70%,55%,0.7)"}]},
      options: {indexAxis: "y", maintainAspectRatio: false, plugins: {legend: {display: false},
                                          title: {display: true, text: el.getAttribute("data-title")}}}};
  }

  var KINDS = {topics: topics, industry: industry};

  function draw() {
    if (typeof Chart === "undefined") {  // Chart.js not loaded yet: draw once everything has loaded
      window.addEventListener("load", draw, {once: true});
      return;
    }
    document.querySelectorAll("canvas[data-chart]").forEach(function (el) {
      var make = KINDS[el.getAttribute("data-chart")];
      if (!make || el.getAttribute("data-drawn")) return;
      el.setAttribute("data-drawn", "1");
      new Chart(el, make(el, JSON.parse(el.getAttribute("data-points") || "[]")));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  document.addEventListener("htmx:load", draw);
})();
