// The import job's page: polls the job's JSON status, moves the <progress> bar (and says the state
// in words when the status gives them), and reloads the page (which then shows the result) once the
// job has finished.
(function () {
  const box = document.getElementById("import-job");
  if (!box) return;
  const bar = document.getElementById("import-job-progress");
  const state = document.getElementById("import-job-state");
  async function poll() {
    try {
      const response = await fetch(box.dataset.statusUrl, {headers: {Accept: "application/json"}});
      if (response.ok) {
        const job = await response.json();
        if (job.finished) { window.location.reload(); return; }
        if (job.total) { bar.max = job.total; bar.value = job.done; }
        if (job.label && state) state.textContent = job.label;
      }
    } catch (e) { /* a missed poll is retried */ }
    setTimeout(poll, 1000);
  }
  poll();
})();
