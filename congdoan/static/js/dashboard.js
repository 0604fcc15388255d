// The dashboard's charts, drawn with Chart.js from the figures the page carries as JSON
// (#dashboard-charts). Every number is also in the page's tables, so without scripts nothing
// is lost; a canvas is shown only once its chart is drawn.
(function () {
  "use strict";

  function start() {
    const source = document.getElementById("dashboard-charts");
    if (!source || typeof window.Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const lang = document.documentElement.lang || "vi";
    const number = new Intl.NumberFormat(lang === "en" ? "en-US" : "vi-VN");
    const colours = ["#0d6efd", "#198754", "#ffc107", "#dc3545", "#adb5bd", "#6f42c1", "#20c997", "#fd7e14"];
    const compact = new Intl.NumberFormat(lang === "en" ? "en-US" : "vi-VN", { notation: "compact" });
    const ticks = { precision: 0, callback: function (value) { return number.format(value); } };
    const compactTicks = { callback: function (value) { return compact.format(value); } };
    function shorten(text) { return text.length > 32 ? text.slice(0, 31) + "…" : text; }
    const tooltip = {
      callbacks: {
        label: function (item) {
          const label = item.dataset.label || item.label || "";
          return (label ? label + ": " : "") + number.format(item.parsed.y ?? item.parsed);
        },
      },
    };

    function draw(id, config) {
      const canvas = document.getElementById(id);
      if (!canvas) return;
      canvas.classList.remove("d-none");
      new window.Chart(canvas, config);
    }

    draw("chart-trend", {
      type: "bar",
      data: {
        labels: data.trend.labels,
        datasets: [{
          label: (document.getElementById("chart-trend") || {}).dataset?.label || "",
          data: data.trend.values,
          backgroundColor: data.trend.values.map(function (_v, i, all) {
            return i === all.length - 1 ? "#198754" : "#0d6efd";
          }),
        }],
      },
      options: {
        aspectRatio: 2.2,
        plugins: { legend: { display: false }, tooltip: tooltip },
        scales: { y: { beginAtZero: true, ticks: ticks } },
      },
    });

    if (data.programmes.values.length) {
      draw("chart-programmes", {
        type: "bar",
        data: {
          labels: data.programmes.labels.map(shorten),
          datasets: [{
            label: (document.getElementById("chart-programmes") || {}).dataset?.label || "",
            data: data.programmes.values,
            backgroundColor: colours,
          }],
        },
        options: {
          indexAxis: "y",
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                title: function (items) { return data.programmes.labels[items[0].dataIndex]; },
                label: function (item) { return number.format(item.parsed.x) + " đ"; },
              },
            },
          },
          scales: { x: { beginAtZero: true, ticks: compactTicks } },
        },
      });
    }

    if (data.grades.values.some(function (v) { return v > 0; })) {
      const canvas = document.getElementById("chart-grades");
      const labels = data.grades.labels.slice();
      if (canvas) labels[labels.length - 1] = canvas.dataset.notGraded || labels[labels.length - 1];
      draw("chart-grades", {
        type: "doughnut",
        data: {
          labels: labels,
          datasets: [{ data: data.grades.values, backgroundColor: ["#198754", "#0d6efd", "#ffc107", "#dc3545", "#adb5bd"] }],
        },
        options: { plugins: { legend: { position: "right" } }, aspectRatio: 2 },
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
