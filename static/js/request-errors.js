// A refused htmx request must not fail silently. Inside an element with
// data-errors-to="ID", a 403, 404 or other error is explained in #ID (a status
// region). Only text is written; the server renders all HTML.
(function () {
  "use strict";

  function explain(code) {
    if (code === 403) return "You cannot do this (your role in the team may have changed). Reload the page.";
    if (code === 404) return "This is no longer here (you may have been removed from the team). Reload the page.";
    return "Something went wrong (" + code + "). Reload the page and try again.";
  }

  document.body.addEventListener("htmx:responseError", function (event) {
    const root = event.detail.elt.closest("[data-errors-to]");
    const status = root && document.getElementById(root.dataset.errorsTo);
    if (!status) return;
    const paragraph = document.createElement("p");
    paragraph.className = "status-error";
    paragraph.textContent = explain(event.detail.xhr.status);
    status.replaceChildren(paragraph);
  });
})();
