// Bulk onboarding progress: update the bar from progress.json without a
// reload, and reload once the job has finished to show the per-row outcome
// and the download link. Without JS the page refreshes itself instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-bulk-progress][data-running]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var poll = function () {
    fetch(box.getAttribute("data-bulk-progress"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (p) {
        bar.max = p.total;
        bar.value = p.finished;
        bar.textContent = p.percent + "%";
        box.querySelector("[data-count=done]").textContent = p.done;
        box.querySelector("[data-count=failed]").textContent = p.failed;
        if (!p.running) { window.location.reload(); return; }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  };
  setTimeout(poll, 1000);
})();
