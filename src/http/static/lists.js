// The bulk acknowledge form of the inbox: a "tick all" box in the header ticks or clears every
// open task of the page at once. Without scripts the box stays hidden and each task is ticked alone.
(function () {
  function wire() {
    var all = document.querySelector('input[data-pick-all]');
    if (!all) return;
    var boxes = document.querySelectorAll('form.bulk input[name="ids"]');
    if (boxes.length === 0) return;
    all.hidden = false;
    all.addEventListener('change', function () {
      boxes.forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wire);
  else wire();
})();
