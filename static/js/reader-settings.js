// Reader settings apply at once: after each save (an htmx POST of the settings
// form), the server's answer names the settings now in force as data-applied-*
// attributes; they are copied onto <html>, where the stylesheet reads them.
// Only attributes are set; the server renders all HTML.
(function () {
  "use strict";

  const NAMES = ["theme", "reader-font", "reader-size", "reader-width", "reader-leading"];

  document.body.addEventListener("htmx:afterSwap", function (event) {
    // The answer is swapped into the form's status region, the event's target.
    // Refused values (422) leave the saved ones in force: the answer says which.
    const answer = event.target.querySelector("[data-reader-settings-applied]");
    if (!answer || !event.target.closest(".reader-settings-form")) return;
    const root = document.documentElement;
    NAMES.forEach(function (name) {
      const value = answer.getAttribute("data-applied-" + name);
      if (value === null) root.removeAttribute("data-" + name);
      else root.setAttribute("data-" + name, value);
    });
  });
})();
