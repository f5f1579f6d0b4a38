// A refused htmx request must not fail silently. Inside an element with
// data-errors-to="ID", a 403, 404 or other error is explained in #ID (a status
// region). A refusal the server explains (422, sent to that region) is shown
// next to the form that caused it instead, with its first field marked
// invalid; forms marked data-errors-to-status (the highlight toolbar, which
// hides once it has sent) keep the status region. Only text is written here;
// the server renders all HTML.
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

  let slots = 0;

  // The form's own place for its error: after its fields, announced when filled.
  function errorSlot(form) {
    let slot = form.querySelector(":scope > .form-errors");
    if (!slot) {
      slots += 1;
      slot = document.createElement("div");
      slot.className = "form-errors";
      slot.id = "form-errors-" + slots;
      slot.setAttribute("role", "alert");
      form.appendChild(slot);
    }
    return slot;
  }

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    const xhr = event.detail.xhr;
    // detail.elt is where the answer goes; the element that asked is requestConfig's.
    const source = event.detail.requestConfig && event.detail.requestConfig.elt;
    const root = source && source.closest("[data-errors-to]");
    if (xhr.status !== 422 || !root || xhr.getResponseHeader("HX-Retarget") !== "#" + root.dataset.errorsTo) return;
    const form = source.closest("form");
    if (!form || form.hasAttribute("data-errors-to-status")) return;
    const slot = errorSlot(form);
    const field = form.querySelector("textarea, select, input:not([type=hidden]):not([type=checkbox])");
    if (field) {
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", slot.id);
    }
    event.detail.target = slot;
    // Whatever the status region said before is about an earlier change.
    document.getElementById(root.dataset.errorsTo).replaceChildren();
  });
})();
