/* ipai dashboard: draws each <canvas data-labels data-values> with the vendored Chart.js;
   the tables under the charts hold the same numbers for readers without JavaScript. */
(function () {
  "use strict";
  if (!window.Chart) return;
  var palette = ["#1f6feb", "#d9480f", "#2b8a3e", "#ae3ec9", "#f08c00", "#0b7285", "#c2255c",
                 "#5c940d", "#495057", "#364fc7"];
  var font = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", system-ui, sans-serif';
  Chart.defaults.font.family = font;
  Chart.defaults.animation = false;  // charts are read, not watched
  document.querySelectorAll("canvas[data-values]").forEach(function (cv) {
    var type = cv.getAttribute("data-type") || "bar";
    var labels = JSON.parse(cv.getAttribute("data-labels"));
    var values = JSON.parse(cv.getAttribute("data-values"));
    var round = type === "doughnut" || type === "pie";
    var chart = new Chart(cv, {
      type: type,
      data: {labels: labels, datasets: [{label: cv.getAttribute("data-series"), data: values,
        backgroundColor: round ? labels.map(function (_, i) { return palette[i % palette.length]; }) : palette[0]}]},
      options: {responsive: true, maintainAspectRatio: false,
        plugins: {legend: {display: round, position: "right"}},
        scales: round ? {} : {y: {beginAtZero: true, ticks: {precision: 0}}}}
    });
    cv.setAttribute("data-drawn", chart ? "1" : "0");
  });
})();
