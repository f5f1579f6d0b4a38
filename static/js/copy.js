// Copy buttons: <button data-copy="ID" data-copy-status="STATUS_ID" hidden> copies
// the value of the field #ID and says so in #STATUS_ID. The buttons stay hidden
// without JavaScript: people then select the text and copy it themselves.
(function () {
  "use strict";

  function reveal(root) {
    root.querySelectorAll("[data-copy][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  async function copy(field) {
    field.focus();
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      return true;
    } catch (error) {
      // No clipboard API (a page served over plain HTTP): the older command.
      return document.execCommand("copy");
    }
  }

  reveal(document);
  // Content swapped in by htmx (a new invitation link) gets its button too.
  document.addEventListener("htmx:load", function (event) {
    reveal(event.target);
  });

  document.addEventListener("click", async function (event) {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const field = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.copyStatus || "");
    if (!field) return;
    const copied = await copy(field);
    if (status) {
      status.textContent = copied ? "Link copied." : "Press Ctrl+C (⌘C on a Mac) to copy the selected link.";
    }
  });
})();
