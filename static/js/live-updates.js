// Live updates (#live-updates polls the server) swap the article body and the
// panel; never while the reader is selecting, typing or has an editor open (it
// would clear their work). An element marked data-pauses-live-updates (the
// highlight toolbar) holds them back while it is shown.
(function () {
  "use strict";

  function busy() {
    const selection = window.getSelection();
    const container = document.querySelector("[data-canonical-root]");
    if (selection && !selection.isCollapsed && container &&
        container.contains(selection.anchorNode)) return true;
    if (document.querySelector("[data-pauses-live-updates]:not([hidden])")) return true;
    const active = document.activeElement;
    if (active && active.matches("textarea, input, select")) return true;
    return Boolean(document.querySelector(".item-editor:not(:empty), #annotation-panel details[open]"));
  }

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.id === "live-updates" && busy()) event.preventDefault();
  });
})();
