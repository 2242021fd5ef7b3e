// Draws every <canvas data-chart="<id>"> from the JSON in <script id="<id>">, with Chart.js
// (served from node_modules, no CDN). Marks the canvas data-rendered="1" when drawn.
(function () {
  function draw() {
    if (typeof Chart === 'undefined') return;
    Chart.defaults.font.family = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute('data-chart'));
      if (!source) return;
      try {
        new Chart(canvas, JSON.parse(source.textContent));
        canvas.setAttribute('data-rendered', '1');
      } catch (e) {
        canvas.setAttribute('data-error', String(e));
      }
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
  // Charts resize for printing.
  window.addEventListener('beforeprint', function () {
    if (typeof Chart !== 'undefined')
      Object.values(Chart.instances).forEach(function (c) {
        c.resize();
      });
  });
})();
