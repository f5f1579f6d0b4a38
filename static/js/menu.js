// The header's menu (<details data-menu>): on wide screens its contents stand
// in the header's row, so it is kept open there (browsers without CSS
// ::details-content would otherwise hide them); on narrow screens it closes on
// Escape, on a click elsewhere, and when the focus leaves it.
(function () {
  "use strict";

  const menu = document.querySelector("[data-menu]");
  if (!menu) return;
  const wide = window.matchMedia("(min-width: 75rem)");

  function fit() {
    menu.open = wide.matches;
  }
  fit();
  wide.addEventListener("change", fit);

  function close(focusSummary) {
    if (wide.matches || !menu.open) return;
    menu.open = false;
    if (focusSummary) menu.querySelector("summary").focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.contains(document.activeElement)) close(true);
  });
  document.addEventListener("click", function (event) {
    if (!menu.contains(event.target)) close(false);
  });
  menu.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !menu.contains(event.relatedTarget)) close(false);
  });
})();
