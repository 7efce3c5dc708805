// The proctor console stays live without reloading the page: every few seconds it fetches the page
// again and replaces the seat rows, except a row whose actions are open or being filled in, so a
// proctor typing a reason never loses it.
(function () {
  "use strict";
  const every = 5000;
  function busy(row) {
    if (row.querySelector("details[open]")) return true;
    return Array.from(row.querySelectorAll("input, select")).some(
      (field) => field === document.activeElement || (field.type !== "hidden" && field.tagName === "INPUT" && field.value));
  }
  function refresh() {
    fetch(window.location.href, {credentials: "same-origin", cache: "no-store"})
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        const fresh = new DOMParser().parseFromString(html, "text/html");
        fresh.querySelectorAll("tr[id^='seat-']").forEach((row) => {
          const current = document.getElementById(row.id);
          if (current && !busy(current)) current.replaceWith(document.adoptNode(row));
        });
        const summary = fresh.getElementById("sitting-summary");
        if (summary) document.getElementById("sitting-summary").replaceWith(document.adoptNode(summary));
        document.body.dataset.refreshed = new Date().toISOString();
      })
      .catch(() => {})
      .finally(() => setTimeout(refresh, every));
  }
  setTimeout(refresh, every);
})();
