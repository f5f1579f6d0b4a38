// Keys on every page: "/" goes to the search box; "s" stars and "e" archives the
// article you are reading, or in the library the one whose card holds the
// focus. Never while typing in a field, or with a modifier key held.
(function () {
  "use strict";

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "/") {
      const search = document.getElementById("library-q") || document.getElementById("site-search");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
      return;
    }
    if (event.key !== "s" && event.key !== "e") return;
    const card = document.activeElement && document.activeElement.closest(".article-card");
    const scope = card || document.querySelector(".reader-header");
    if (!scope) return;
    const button = scope.querySelector('[data-shortcut="' + event.key + '"]');
    if (!button) return;
    event.preventDefault();
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
  });
})();
