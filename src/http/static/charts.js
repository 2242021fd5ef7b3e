// Draws every <canvas data-chart="<id>"> from the JSON in <script id="<id>">, with Chart.js
// (served from node_modules, no CDN). Marks the canvas data-rendered="1" when drawn.
// A dataset's `iwPattern` (src/http/pages/chart-styles.ts) becomes a fill pattern over its
// colour, so that series stay apart when the page is printed in grey.
(function () {
  var SIZE = 8;

  // Dark colours get light lines, light colours dark ones.
  function inkFor(hex) {
    var n = parseInt(hex.slice(1), 16);
    var lightness = 0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
    return lightness < 140 ? 'rgba(255,255,255,0.85)' : 'rgba(0,0,0,0.7)';
  }

  var DRAW = {
    diagonal: function (c) {
      c.moveTo(0, SIZE);
      c.lineTo(SIZE, 0);
      c.moveTo(-1, 1);
      c.lineTo(1, -1);
      c.moveTo(SIZE - 1, SIZE + 1);
      c.lineTo(SIZE + 1, SIZE - 1);
    },
    'diagonal-reverse': function (c) {
      c.moveTo(0, 0);
      c.lineTo(SIZE, SIZE);
      c.moveTo(SIZE - 1, -1);
      c.lineTo(SIZE + 1, 1);
      c.moveTo(-1, SIZE - 1);
      c.lineTo(1, SIZE + 1);
    },
    horizontal: function (c) {
      c.moveTo(0, SIZE / 2);
      c.lineTo(SIZE, SIZE / 2);
    },
    vertical: function (c) {
      c.moveTo(SIZE / 2, 0);
      c.lineTo(SIZE / 2, SIZE);
    },
    cross: function (c) {
      c.moveTo(0, 0);
      c.lineTo(SIZE, SIZE);
      c.moveTo(0, SIZE);
      c.lineTo(SIZE, 0);
    },
    grid: function (c) {
      c.moveTo(0, SIZE / 2);
      c.lineTo(SIZE, SIZE / 2);
      c.moveTo(SIZE / 2, 0);
      c.lineTo(SIZE / 2, SIZE);
    },
    zigzag: function (c) {
      c.moveTo(0, SIZE * 0.75);
      c.lineTo(SIZE / 2, SIZE * 0.25);
      c.lineTo(SIZE, SIZE * 0.75);
    },
    dots: function (c) {
      c.moveTo(SIZE / 2 + 1.5, SIZE / 2);
      c.arc(SIZE / 2, SIZE / 2, 1.5, 0, 2 * Math.PI);
    },
  };

  function pattern(color, name) {
    var draw = DRAW[name];
    if (!draw || typeof color !== 'string' || color.charAt(0) !== '#') return color;
    var tile = document.createElement('canvas');
    tile.width = SIZE;
    tile.height = SIZE;
    var c = tile.getContext('2d');
    c.fillStyle = color;
    c.fillRect(0, 0, SIZE, SIZE);
    c.strokeStyle = inkFor(color);
    c.fillStyle = inkFor(color);
    c.lineWidth = 1.5;
    c.beginPath();
    draw(c);
    if (name === 'dots') c.fill();
    else c.stroke();
    return c.createPattern(tile, 'repeat');
  }

  function withPatterns(config) {
    (config.data.datasets || []).forEach(function (dataset) {
      if (dataset.iwPattern) dataset.backgroundColor = pattern(dataset.backgroundColor, dataset.iwPattern);
      delete dataset.iwPattern;
    });
    return config;
  }

  function draw() {
    if (typeof Chart === 'undefined') return;
    Chart.defaults.font.family = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute('data-chart'));
      if (!source) return;
      try {
        new Chart(canvas, withPatterns(JSON.parse(source.textContent)));
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
