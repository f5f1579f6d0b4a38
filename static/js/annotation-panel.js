// The annotation panel: its entries lead to their marks and the marks to their
// entries; an entry's "Edit" link loads the thread's controls under the entry;
// on narrow screens the panel is a drawer opened by a button.
// Other parts of the page ask through events on <body>: "open-highlight-editor"
// (detail.id) opens a highlight's editor, "reader-dismiss" closes the drawer.
(function () {
  "use strict";

  const panel = document.getElementById("annotation-panel");
  if (!panel) return;
  const toggle = document.getElementById("panel-toggle");
  const narrow = window.matchMedia("(max-width: 70rem)");

  function openDrawer() {
    if (!narrow.matches) return;
    panel.classList.add("is-open");
    toggle.setAttribute("aria-expanded", "true");
  }

  function closeDrawer() {
    if (!panel.classList.contains("is-open")) return;
    panel.classList.remove("is-open");
    toggle.setAttribute("aria-expanded", "false");
  }

  // An entry's "Edit" link loads the author's controls under the entry (one
  // delegated handler keeps the panel's markup small); without JavaScript it
  // is a plain link to the highlight's page. The link is the request's source,
  // so it inherits the reader's settings (hx-target, data-errors-to).
  function openEditor(link) {
    const item = link.closest(".highlight-item");
    let editor = item.querySelector(".item-editor");
    if (!editor) {
      editor = document.createElement("div");
      editor.className = "item-editor";
      item.appendChild(editor);
    }
    const request = { source: link, target: editor };
    return htmx.ajax("GET", link.getAttribute("href"), request).then(function () {
      const textarea = editor.querySelector("textarea");
      if (textarea) textarea.focus();
    });
  }

  // A panel entry scrolls to its mark (the link's #hl-N) and focuses it.
  document.addEventListener("click", function (event) {
    const edit = event.target.closest && event.target.closest("[data-edit-highlight]");
    const newTab = event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0;
    if (edit && !newTab) {
      event.preventDefault();
      openEditor(edit);
      return;
    }
    const link = event.target.closest && event.target.closest("[data-highlight-link]");
    if (link) {
      const mark = document.getElementById("hl-" + link.dataset.highlightLink);
      if (mark) {
        closeDrawer();
        window.setTimeout(function () { mark.focus({ preventScroll: true }); }, 0);
      }
      return;
    }
    // A mark leads to its entry (and note) in the panel.
    const mark = event.target.closest && event.target.closest("mark[data-highlight-id]");
    if (mark && window.getSelection().isCollapsed) {
      const item = document.getElementById("item-" + mark.dataset.highlightId);
      if (item) {
        openDrawer();
        item.scrollIntoView({ block: "nearest" });
        const target = item.querySelector("[data-highlight-link]");
        if (target) target.focus({ preventScroll: true });
      }
    }
  });

  document.body.addEventListener("open-highlight-editor", function (event) {
    const link = panel.querySelector('[data-edit-highlight="' + event.detail.id + '"]');
    if (!link) return;
    openDrawer();
    openEditor(link);
  });

  document.body.addEventListener("reader-dismiss", closeDrawer);

  if (toggle) {
    document.documentElement.classList.add("has-drawer");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      if (panel.classList.contains("is-open")) {
        closeDrawer();
        toggle.focus();
      } else {
        openDrawer();
        panel.focus();
      }
    });
  }
})();
