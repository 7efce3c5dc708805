// The candidate's exam page. Every change is sent at once with a sequence number; the server
// acknowledges only after its commit. Unsent changes stay in page memory and are retried, so a
// network cut loses nothing; nothing is kept on the lab computer (no localStorage: B3).
(function () {
  "use strict";
  const root = document.getElementById("exam");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const t = JSON.parse(document.getElementById("exam-text").textContent);
  const api = (path) => root.dataset.api + path;
  // The log-in answers with this page, at the log-in's address: the page's own takes its place in the
  // history (before any #q5 is added to it), so that a reload asks for the exam page again and never
  // sends the log-in form a second time.
  if (window.location.pathname !== root.dataset.page) history.replaceState(null, "", root.dataset.page);
  let questions = [], current = 0, seq = 0, clockOffset = 0, deadline = null, finished = false, handingIn = false;
  const answers = {};   // slot -> {choice, text, flagged}
  const pending = {};   // slot -> the newest unacknowledged save
  const refused = {};   // slot -> the sequence number of its latest save refused for good (the message says why): not "saved"
  const held = {};      // slot -> the answer as the server acknowledged it to this page: its newest save, or the paper's
  // Sequence numbers continue from the highest the server holds for this attempt (the paper carries
  // them), so a reload or a spare computer (B5) keeps counting upwards and never below a stored save.

  function send(method, path, body) {
    return fetch(api(path), {
      method, credentials: "same-origin", cache: "no-store",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json"},
      body: body ? JSON.stringify(body) : undefined,
    }).then((r) => r.json().then((data) => ({ok: r.ok, status: r.status, data})));
  }

  function indicator(state) {
    const el = document.getElementById("save-state");
    el.dataset.state = state;
    el.textContent = t[state];
  }

  // Every save is pending until the server acknowledged it: "saved" only when none is, and none was
  // refused for good since that slot's last acknowledged save.
  function settled() {
    if (Object.keys(pending).length) return;
    indicator(Object.keys(refused).length ? "not_saved" : "saved");
  }

  function flush() {
    const slots = Object.keys(pending);
    if (!slots.length) { settled(); return; }
    indicator(navigator.onLine === false ? "offline" : "saving");
    slots.forEach((slot) => {
      const save = pending[slot];
      if (save.inFlight) return;
      save.inFlight = true;
      send("POST", "/answer", save.body).then((res) => {
        save.inFlight = false;
        if (res.ok) {
          if (pending[slot] === save) delete pending[slot];
          if (!held[slot] || save.body.seq > held[slot].seq) held[slot] = save.body;
          // Only a save as new as the one refused makes that question saved again: the same one, when
          // the page stopped while it was on its way and the server had stored it.
          if (refused[slot] && save.body.seq >= refused[slot]) {
            delete refused[slot]; if (!Object.keys(refused).length && !finished) showError("");
          }
          if (finished) showHeld([slot]);
        }
        else if (res.data && res.data.superseded) { superseded(res.data.error); }
        else if (res.data && res.data.retry) {
          // Not stored this time, nothing wrong with it (docs/exam-api.md): it stays pending and the
          // next flush sends it again, as after a network failure.
          indicator("retrying");
          return;
        }
        else if (res.status === 409 || res.status === 400) {
          // Refused for good: not sent again, and the page says it was not saved, and why.
          if (pending[slot] === save) delete pending[slot];
          refused[slot] = Math.max(refused[slot] || 0, save.body.seq);
          // Handed in, collected or suspended meanwhile: the result says what happened and why.
          if (res.data.status && res.data.status !== "in_progress") finish(true);
          else showError(res.data.error);
        }
        settled();
      }).catch(() => { save.inFlight = false; indicator("offline"); });
    });
  }
  setInterval(flush, 1500);
  window.addEventListener("online", flush);
  window.addEventListener("offline", () => indicator("offline"));
  window.addEventListener("beforeunload", (e) => { if (Object.keys(pending).length) { e.preventDefault(); e.returnValue = ""; } });

  function record(slot, change) {
    answers[slot] = Object.assign({choice: null, text: null, flagged: false}, answers[slot], change);
    seq += 1;
    pending[slot] = {body: Object.assign({}, answers[slot], {slot, seq})};
    renderNav();
    flush();
  }

  function superseded(message) {
    // The exam was opened on another computer (a new log-in, a seat move): this page stops saving.
    finished = true;
    // What was still pending is not saved: counted as refused, so the indicator never says "saved".
    Object.keys(pending).forEach((slot) => {
      refused[slot] = Math.max(refused[slot] || 0, pending[slot].body.seq);
      delete pending[slot];
    });
    indicator(Object.keys(refused).length ? "not_saved" : "saved");
    showHeld(Object.keys(refused));
    showError(message);
  }

  // A page that has stopped shows what the server acknowledged to it (a save, or its paper): an answer
  // it dropped is neither chosen nor counted, and one stored while the page stopped is shown as stored.
  // What another page saved meanwhile it cannot know: logging in again shows it. Nothing can be changed.
  function showHeld(slots) {
    slots.forEach((slot) => {
      if (held[slot]) answers[slot] = {choice: held[slot].choice, text: held[slot].text, flagged: held[slot].flagged};
      else delete answers[slot];
    });
    if (questions.length) { renderQuestion(); renderNav(); }
    document.querySelectorAll("#exam input, #exam button").forEach((el) => { el.disabled = true; });
  }

  function showError(message) {
    const el = document.getElementById("exam-error");
    el.textContent = message || "";
    el.hidden = !message;
  }

  function renderQuestion(keepFocus) {
    const q = questions[current], a = answers[q.slot] || {};
    const box = document.getElementById("question");
    box.innerHTML = "";
    const title = document.createElement("h2");
    title.id = "question-title"; title.tabIndex = -1;
    title.textContent = t.question.replace("{n}", q.slot + 1).replace("{total}", questions.length);
    const stem = document.createElement("div");
    stem.className = "stem";
    stem.innerHTML = q.stem;  // sanitised on the server (allow-list)
    box.append(title, stem);
    if (q.type === "fill") {
      const input = document.createElement("input");
      input.type = "text"; input.id = "fill"; input.value = a.text || ""; input.setAttribute("aria-label", t.your_answer);
      input.addEventListener("input", () => record(q.slot, {text: input.value}));
      box.append(input);
    } else {
      const list = document.createElement("div");
      list.className = "choices"; list.setAttribute("role", "radiogroup");
      list.setAttribute("aria-labelledby", "question-title");
      q.options.forEach((html, i) => {
        const label = document.createElement("label");
        label.className = "choice" + (a.choice === i ? " chosen" : "");
        const input = document.createElement("input");
        input.type = "radio"; input.name = "choice"; input.value = i; input.checked = a.choice === i;
        input.addEventListener("change", () => { record(q.slot, {choice: i}); renderQuestion(true); });
        const letter = document.createElement("span");
        letter.className = "letter"; letter.textContent = "ABCDEF"[i] + ".";
        const text = document.createElement("span");
        text.innerHTML = html;
        label.append(input, letter, text);
        list.append(label);
      });
      box.append(list);
    }
    const flag = document.getElementById("flag");
    flag.checked = !!a.flagged;
    document.getElementById("prev").disabled = current === 0;
    document.getElementById("next").disabled = current === questions.length - 1;
    if (keepFocus) {  // the page was redrawn under a keyboard user: focus stays on the question
      const chosen = box.querySelector("input[type=radio]:checked");
      (chosen || box.querySelector("#fill") || title).focus();
    }
  }

  function isAnswered(a) { return a && (a.choice !== null && a.choice !== undefined || (a.text || "").trim() !== ""); }

  function renderNav() {
    const nav = document.getElementById("navigator");
    nav.innerHTML = "";
    let done = 0;
    questions.forEach((q, i) => {
      const a = answers[q.slot];
      if (isAnswered(a)) done += 1;
      const b = document.createElement("button");
      b.type = "button"; b.textContent = i + 1;
      b.className = [isAnswered(a) ? "answered" : "", a && a.flagged ? "flagged" : "", i === current ? "current" : ""].join(" ");
      b.setAttribute("aria-label", t.go_to.replace("{n}", i + 1));
      b.addEventListener("click", () => go(i));
      nav.append(b);
    });
    document.getElementById("counts").textContent = t.counts.replace("{done}", done).replace("{left}", questions.length - done);
  }

  function tick() {
    if (!deadline || finished) return;
    const left = Math.max(0, deadline - (Date.now() + clockOffset));
    const m = Math.floor(left / 60000), s = Math.floor((left % 60000) / 1000);
    document.getElementById("clock").textContent = `${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
    announce(Math.ceil(left / 60000));
    if (left === 0) finish(true);
  }

  // The question on screen is kept in the address (#q5), not on the lab computer, so that a reload
  // comes back to it.
  // keepFocus: after a key or a click the focus follows the question (false only on the first draw).
  function go(index, keepFocus = true) {
    if (index < 0 || index >= questions.length) return;
    current = index;
    history.replaceState(null, "", "#q" + (index + 1));
    renderQuestion(keepFocus); renderNav();
  }

  function remembered() {
    const match = /^#q(\d+)$/.exec(window.location.hash);
    const n = match ? parseInt(match[1], 10) - 1 : 0;
    return n >= 0 && n < questions.length ? n : 0;
  }

  // Screen readers hear the time at the start, every 5 minutes and at the last minute, never every second.
  let announced = null;
  function announce(minutes) {
    if (minutes === announced || minutes === 0) return;
    const first = announced === null;
    announced = minutes;
    if (!first && minutes % 5 !== 0 && minutes !== 1) return;
    document.getElementById("clock-announce").textContent =
      minutes === 1 ? t.one_minute_left : t.minutes_left.replace("{m}", minutes);
  }

  function applyState(state) {
    clockOffset = Date.parse(state.server_time) - Date.now();
    deadline = Date.parse(state.deadline);
  }

  function finish(auto) {
    if (finished) return;
    const go = () => send("POST", "/submit").then((res) => {
      if (res.data && res.data.superseded) { superseded(res.data.error); return; }
      // Refused (said why): the page stays as it is, and the candidate may hand in again.
      if (!res.ok) { showError(res.data.error); handingIn = false; return; }
      finished = true;
      const d = res.data;
      // Logged out now: nothing on the page says otherwise (the name, the clock, an old error).
      document.getElementById("exam-main").hidden = true;
      document.getElementById("waiting").hidden = true;
      document.querySelector(".exam-head").hidden = true;
      showError("");
      history.replaceState(null, "", window.location.pathname);
      const result = document.getElementById("result");
      result.hidden = false;
      // The count is the one the results will use: after the sanction (B6), which is named.
      result.querySelector("#result-correct").textContent = d.suspended || d.voided ? "" :
        t.result_correct.replace("{c}", d.counted_text || d.correct).replace("{n}", d.questions);
      result.querySelector("#result-sanction").textContent = d.message || "";
      result.querySelector("#result-passed").textContent = d.suspended ? "" : d.passed === true ? t.passed : d.passed === false ? t.failed : "";
      result.querySelector("#result-score").textContent = d.score === null || d.score === undefined ? "" : t.result_score.replace("{s}", d.score_text);
    }).catch(() => setTimeout(go, 2000));
    if (handingIn) return;  // once: a refused save and the state check may both ask for it
    if (!auto) {
      const blank = questions.filter((q) => !isAnswered(answers[q.slot])).map((q) => q.slot + 1);
      const message = blank.length ? t.confirm_blank.replace("{list}", blank.join(", ")) : t.confirm;
      if (!window.confirm(message)) return;
    }
    handingIn = true;
    flushThen(go);
  }

  function flushThen(go) {
    flush();
    const wait = () => (Object.keys(pending).length ? setTimeout(wait, 300) : go());
    wait();
  }

  function start() {
    send("GET", "/paper").then((res) => {
      if (res.data && res.data.superseded) { superseded(res.data.error); return; }
      if (!res.ok) { setTimeout(waitForOpening, 2000); return; }
      begin(res.data);
    }).catch(() => setTimeout(start, 2000));
  }

  function begin(paper) {
    questions = paper.questions;
    questions.forEach((q) => {
      if (!q.answer) return;
      answers[q.slot] = {choice: q.answer.choice, text: q.answer.text, flagged: q.answer.flagged};
      held[q.slot] = q.answer;
      seq = Math.max(seq, q.answer.seq);
    });
    applyState(paper);
    document.getElementById("waiting").hidden = true;
    document.getElementById("exam-main").hidden = false;
    go(remembered(), false); indicator("saved");
    setInterval(tick, 500); tick();
    setInterval(() => send("GET", "/state").then((r) => { if (r.ok) { applyState(r.data); if (r.data.status !== "in_progress") finish(true); } }).catch(() => {}), 15000);
  }

  function waitForOpening() {
    send("GET", "/state").then((res) => {
      if (res.data && res.data.superseded) superseded(res.data.error);
      else if (res.ok && res.data.status === "in_progress") start();
      else if (res.ok && ["submitted", "collected", "voided"].includes(res.data.status)) finish(true);
      else setTimeout(waitForOpening, 2000);
    }).catch(() => setTimeout(waitForOpening, 2000));
  }

  document.getElementById("prev").addEventListener("click", () => go(current - 1));
  document.getElementById("next").addEventListener("click", () => go(current + 1));
  document.getElementById("flag").addEventListener("change", (e) => record(questions[current].slot, {flagged: e.target.checked}));
  document.getElementById("submit").addEventListener("click", () => finish(false));

  // The exam by keyboard alone: 1-6 or A-E choose (F flags, so the sixth option is 6), the left and
  // right arrows move between questions (up and down move between the options), Enter hands in
  // after the confirmation. A key typed into a fill-in answer or on a button is left alone.
  document.addEventListener("keydown", (e) => {
    if (finished || !questions.length || document.getElementById("exam-main").hidden) return;
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const target = e.target, typing = target.tagName === "INPUT" && target.type === "text";
    if (typing || target.tagName === "TEXTAREA" || target.tagName === "SELECT") return;
    const q = questions[current], key = e.key.toLowerCase();
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      e.preventDefault();  // on an option, the arrow would change the answer: here it changes question
      go(current + (e.key === "ArrowRight" ? 1 : -1));
    } else if (e.key === "Enter" && target.tagName !== "BUTTON" && target.tagName !== "A") {
      e.preventDefault();
      finish(false);
    } else if (key === "f") {
      e.preventDefault();
      const flagged = !(answers[q.slot] && answers[q.slot].flagged);
      document.getElementById("flag").checked = flagged;
      record(q.slot, {flagged});
    } else if (q.type !== "fill" && (/^[1-6]$/.test(key) || /^[a-e]$/.test(key))) {
      const i = /^[1-6]$/.test(key) ? Number(key) - 1 : "abcde".indexOf(key);
      if (i < q.options.length) { e.preventDefault(); record(q.slot, {choice: i}); renderQuestion(true); }
    }
  });

  // Display settings, in the page only (nothing is kept on the lab computer) and never touching the answers.
  const scales = [1, 1.2, 1.4, 1.7, 2];
  let scale = 0;
  function setScale(step) {
    scale = Math.max(0, Math.min(scales.length - 1, scale + step));
    document.body.style.setProperty("--exam-scale", scales[scale]);
    document.body.dataset.scale = scales[scale];
  }
  document.getElementById("font-larger").addEventListener("click", () => setScale(1));
  document.getElementById("font-smaller").addEventListener("click", () => setScale(-1));
  document.getElementById("contrast").addEventListener("click", (e) => {
    const on = document.body.classList.toggle("high-contrast");
    e.currentTarget.setAttribute("aria-pressed", String(on));
  });
  // An attempt already begun has its paper in the page (one request at the start of a sitting).
  const inPage = document.getElementById("exam-paper");
  if (inPage) begin(JSON.parse(inPage.textContent)); else waitForOpening();
})();
