// The guided tour of the back office (docs/training.md): shows each step's part of the page in
// place, page after page. Without this script the tour page lists the steps with links.
// The steps come from the page (#tour-steps, JSON data written by the server in the person's
// language); where the tour is is kept in localStorage, and once it is finished or ended a
// cookie tells the server to stop offering it.
(function () {
  "use strict";
  var data = document.getElementById("tour-steps");
  if (!data) return;
  var steps;
  try { steps = JSON.parse(data.textContent); } catch (e) { return; }
  if (!steps.length) return;
  var KEY = "gerbang.tour.step";
  var DONE = "gerbang.tour.done";
  var lang = document.documentElement.lang === "en" ? "en" : "id";
  var words = {
    id: { step: "Langkah {n} dari {total}", back: "Kembali", next: "Lanjut", finish: "Selesai", end: "Akhiri tur", go: "Buka bagian ini", label: "Tur panduan" },
    en: { step: "Step {n} of {total}", back: "Back", next: "Next", finish: "Finish", end: "End the tour", go: "Open this part", label: "Guided tour" }
  }[lang];
  var panel = null;
  var highlighted = null;

  function store(name, value) { try { if (value === null) localStorage.removeItem(name); else localStorage.setItem(name, value); } catch (e) { /* private mode */ } }
  function read(name) { try { return localStorage.getItem(name); } catch (e) { return null; } }
  function path(url) { var a = document.createElement("a"); a.href = url; return a.pathname; }

  function clear() {
    if (highlighted) { highlighted.classList.remove("tour-highlight"); highlighted = null; }
    if (panel) { panel.remove(); panel = null; }
  }

  function finish() {
    clear();
    store(KEY, null);
    store(DONE, "1");
    document.cookie = "gerbang_tour=done; path=/; max-age=31536000; SameSite=Lax";
    var offer = document.getElementById("tour-offer");
    if (offer) offer.hidden = true;
  }

  function go(index) {
    if (index < 0 || index >= steps.length) { finish(); return; }
    store(KEY, String(index));
    var step = steps[index];
    var here = path(step.url) === window.location.pathname && document.querySelector(step.target);
    if (here) show(index); else window.location.href = step.url;
  }

  function button(text, action, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.className = cls || "button";
    b.addEventListener("click", action);
    return b;
  }

  function show(index) {
    clear();
    var step = steps[index];
    var target = document.querySelector(step.target);
    panel = document.createElement("div");
    panel.className = "tour-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "false");
    panel.setAttribute("aria-labelledby", "tour-title");
    panel.setAttribute("aria-describedby", "tour-text");
    var count = document.createElement("p");
    count.className = "muted";
    count.textContent = words.step.replace("{n}", index + 1).replace("{total}", steps.length);
    var title = document.createElement("h2");
    title.id = "tour-title";
    title.tabIndex = -1;
    title.textContent = step.title;
    var text = document.createElement("p");
    text.id = "tour-text";
    text.textContent = step.text;
    panel.append(count, title, text);
    if (!target) {
      var link = document.createElement("a");
      link.href = step.url;
      link.textContent = words.go;
      var p = document.createElement("p");
      p.append(link);
      panel.append(p);
    }
    var row = document.createElement("p");
    row.className = "tour-buttons";
    if (index > 0) row.append(button(words.back, function () { go(index - 1); }, "button secondary"));
    var last = index === steps.length - 1;
    row.append(button(last ? words.finish : words.next, function () { if (last) finish(); else go(index + 1); }));
    row.append(button(words.end, finish, "secondary"));
    panel.append(row);
    panel.setAttribute("aria-label", words.label);
    document.body.append(panel);
    if (target) {
      highlighted = target;
      target.classList.add("tour-highlight");
      target.scrollIntoView({ block: "center" });
    }
    title.focus();
  }

  document.addEventListener("keydown", function (event) {
    if (panel && event.key === "Escape") { event.preventDefault(); finish(); }
  });
  document.querySelectorAll("[data-tour-start]").forEach(function (start) {
    start.hidden = false;
    start.addEventListener("click", function (event) { event.preventDefault(); store(DONE, null); go(0); });
  });
  document.querySelectorAll("[data-tour-dismiss]").forEach(function (dismiss) {
    dismiss.addEventListener("click", function () { store(DONE, "1"); });
  });
  var current = parseInt(read(KEY), 10);
  if (!isNaN(current) && current >= 0 && current < steps.length) show(current);
})();
