// Follow a background job: poll the JSON endpoint named by a <progress data-progress-url>
// and update the bar; when the job is done (or failed), reload to show its result.
// Without this script the page refreshes itself (<noscript> meta refresh) and has a link.
(function () {
  "use strict";
  const bar = document.querySelector("progress[data-progress-url]");
  if (!bar) return;
  const url = bar.dataset.progressUrl;
  const statusText = document.querySelector("[data-progress-status]");
  const percentText = document.querySelector("[data-progress-percent]");
  const interval = 1000;

  function show(data) {
    bar.value = data.progress;
    bar.textContent = data.progress + "%";
    if (statusText && data.status_label) statusText.textContent = data.status_label;
    if (percentText) percentText.textContent = data.progress;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then((response) => {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then((data) => {
        show(data);
        if (data.done) {
          window.location.reload();
        } else {
          window.setTimeout(poll, interval);
        }
      })
      .catch(() => window.setTimeout(poll, interval * 3));
  }

  window.setTimeout(poll, interval / 2);
})();
