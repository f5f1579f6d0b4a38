// Reader settings apply at once: after each save (an htmx POST of the settings
// form), the server's answer names the settings now in force as data-applied-*
// attributes; they are copied onto <html>, where the stylesheet reads them.
// Only attributes are set; the server renders all HTML.
(function () {
  "use strict";

  const NAMES = ["theme", "reader-font", "reader-size", "reader-width", "reader-leading"];

  document.body.addEventListener("htmx:afterSwap", function (event) {
    const form = event.detail.elt;
    if (!form || !form.matches || !form.matches(".reader-settings-form")) return;
    // Refused values (422) leave the saved ones in force: the answer says which.
    const answer = form.querySelector("[data-reader-settings-status]");
    if (!answer) return;
    const root = document.documentElement;
    NAMES.forEach(function (name) {
      const value = answer.getAttribute("data-applied-" + name);
      if (value === null) root.removeAttribute("data-" + name);
      else root.setAttribute("data-" + name, value);
    });
  });
})();
