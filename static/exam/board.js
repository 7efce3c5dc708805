// The results board polls its sitting's results every few seconds; the server answers 304 when
// nothing changed (ETag), so a poll of an unchanged board costs the server one small query.
(function () {
  "use strict";
  const main = document.getElementById("board");
  const every = Number(main.dataset.every) || 2000;
  let etag = null;
  let shown = new Set();

  function cell(text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function render(data) {
    const body = document.getElementById("board-rows");
    const rows = data.rows.map((r) => {
      const tr = document.createElement("tr");
      tr.className = r.passed ? "passed" : "failed";
      if (shown.size && !shown.has(r.number)) tr.classList.add("fresh");
      tr.dataset.number = r.number;
      tr.append(cell(r.number), cell(r.correct, "num"));
      if (main.dataset.scored === "1") tr.append(cell(r.score, "num"));
      tr.append(cell((r.passed ? main.dataset.passed : main.dataset.failed) + (r.sanction ? " · " + r.sanction : "")));
      return tr;
    });
    body.replaceChildren(...rows);
    shown = new Set(data.rows.map((r) => r.number));
    document.getElementById("board-count").textContent = data.count;
    document.getElementById("board-passed").textContent = data.passed;
    document.getElementById("board-empty").hidden = data.count > 0;
    main.dataset.version = data.version;
  }

  function poll() {
    const headers = etag ? {"If-None-Match": etag} : {};
    fetch(main.dataset.url, {credentials: "same-origin", cache: "no-cache", headers})
      .then((response) => {
        document.getElementById("board-state").dataset.state = response.ok || response.status === 304 ? "live" : "error";
        if (response.status === 304) return null;
        if (!response.ok) return Promise.reject(response.status);
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then((data) => { if (data) render(data); })
      .catch(() => { document.getElementById("board-state").dataset.state = "offline"; })
      .finally(() => setTimeout(poll, every));
  }

  document.getElementById("board-fullscreen").addEventListener("click", () => {
    if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
  });
  poll();
})();
