// Keys on every page: "/" goes to the search box; "j" and "k" move to the next
// and previous highlight in the reader, or article in the library; "g" then
// "l" opens the library; "s" stars and "e" archives the article you are
// reading, or in the library the one whose card holds the focus; "?" opens the
// list of keys (the <dialog id="shortcut-help"> in base.html). Never while
// typing in a field, with a modifier key held, or while a dialog is open.
// The reader's highlighting keys (1-4, h, n) are static/js/selection-toolbar.js's.
(function () {
  "use strict";

  const help = document.getElementById("shortcut-help");
  // "g" waits this long for the key that completes it.
  const SEQUENCE_MS = 1500;
  let pendingG = 0;

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  // Highlights in the reader (the first mark of each: it has the id and is
  // focusable), else the library's articles.
  function stops() {
    const marks = document.querySelectorAll("[data-canonical-root] mark[id^='hl-']");
    if (marks.length) return Array.from(marks);
    return Array.from(document.querySelectorAll(".article-card h2 a"));
  }

  function move(step) {
    const list = stops();
    if (!list.length) return false;
    const active = document.activeElement;
    let index = list.findIndex(function (item) { return item === active || item.contains(active); });
    if (index === -1 && active && active.closest) {
      // The focus is in a card (on its Star button, say): move from that card.
      const card = active.closest(".article-card");
      index = card ? list.findIndex(function (item) { return card.contains(item); }) : -1;
    }
    if (index === -1) {
      // Nothing focused yet: start from what is on screen.
      const below = list.findIndex(function (item) { return item.getBoundingClientRect().top >= 0; });
      const first = below === -1 ? list.length : below;
      index = step > 0 ? first : first - 1;
    } else {
      index += step;
    }
    const target = list[Math.max(0, Math.min(list.length - 1, index))];
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
    return true;
  }

  function starOrArchive(key) {
    const card = document.activeElement && document.activeElement.closest(".article-card");
    const scope = card || document.querySelector(".reader-header");
    if (!scope) return false;
    const button = scope.querySelector('[data-shortcut="' + key + '"]');
    if (!button) return false;
    // The swap replaces the controls: keep the focus in the card.
    const keep = card && card.id;
    button.click();
    if (keep) {
      document.body.addEventListener("htmx:afterSettle", function settle() {
        document.body.removeEventListener("htmx:afterSettle", settle);
        const again = document.getElementById(keep);
        const link = again && again.querySelector("h2 a");
        if (link) link.focus();
      });
    }
    return true;
  }

  function search() {
    const box = document.getElementById("library-q") || document.getElementById("site-search");
    if (!box) return false;
    box.focus();
    box.select();
    return true;
  }

  function library() {
    const home = document.querySelector(".brand");
    if (!home) return false;
    window.location.assign(home.href);
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (document.querySelector("dialog[open]")) return;
    const afterG = Date.now() - pendingG < SEQUENCE_MS;
    pendingG = 0;
    let done = false;
    if (afterG && event.key === "l") done = library();
    else if (event.key === "g") {
      pendingG = Date.now();
      return;
    } else if (event.key === "/") done = search();
    else if (event.key === "j") done = move(1);
    else if (event.key === "k") done = move(-1);
    else if (event.key === "s" || event.key === "e") done = starOrArchive(event.key);
    else if (event.key === "?" && help) {
      help.showModal();
      done = true;
    }
    if (done) event.preventDefault();
  });
})();
