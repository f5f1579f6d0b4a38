// The header's team switcher switches as soon as a team is chosen. Without
// JavaScript its "Switch" button submits the form; with it the button is
// hidden (html.js, app.css). The switcher arrives later by htmx, so the
// listener is on the document.
(function () {
  "use strict";

  document.documentElement.classList.add("js");
  document.addEventListener("change", function (event) {
    const select = event.target.closest && event.target.closest("[data-switch-on-change]");
    if (select && select.form) select.form.requestSubmit();
  });
})();
