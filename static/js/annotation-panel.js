// The annotation panel: its entries lead to their marks and the marks to their
// entries; an entry's "Edit" link loads the thread's controls under the entry;
// on narrow screens the panel is a drawer opened by a button and closed by its
// handle (the button steps aside while the drawer is open, so it never covers
// the drawer's content).
// Other parts of the page ask through events on <body>: "open-highlight-editor"
// (detail.id) opens a highlight's editor, "reader-dismiss" closes the drawer.
(function () {
  "use strict";

  const panel = document.getElementById("annotation-panel");
  if (!panel) return;
  const toggle = document.getElementById("panel-toggle");
  const drawer = document.getElementById("panel-drawer") || panel;
  const handle = drawer.querySelector("[data-drawer-close]");
  const narrow = window.matchMedia("(max-width: 70rem)");

  function openDrawer() {
    if (!narrow.matches) return;
    drawer.classList.add("is-open");
    toggle.setAttribute("aria-expanded", "true");
  }

  function closeDrawer() {
    if (!drawer.classList.contains("is-open")) return;
    drawer.classList.remove("is-open");
    toggle.setAttribute("aria-expanded", "false");
  }

  // A mark leads to its entry on a plain click, after the time a second click
  // would take: a double or triple click selects words in it instead, and a
  // press that moved (a drag) is a selection, never a jump.
  const CLICK_MS = 300;
  let pressedAt = null;
  let jump = null;
  document.addEventListener("pointerdown", function (event) {
    pressedAt = { x: event.clientX, y: event.clientY };
  });

  function goToEntry(mark) {
    const item = document.getElementById("item-" + mark.dataset.highlightId);
    if (!item) return;
    openDrawer();
    item.scrollIntoView({ block: "nearest" });
    const target = item.querySelector("[data-highlight-link]");
    if (target) target.focus({ preventScroll: true });
  }

  function markClicked(mark, event) {
    window.clearTimeout(jump);
    const moved = pressedAt &&
      Math.abs(event.clientX - pressedAt.x) + Math.abs(event.clientY - pressedAt.y) > 4;
    if (event.detail > 1 || moved || !window.getSelection().isCollapsed) return;
    jump = window.setTimeout(function () {
      if (window.getSelection().isCollapsed) goToEntry(mark);
    }, CLICK_MS);
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
    if (mark) markClicked(mark, event);
  });

  // From a mark reached with j/k (static/js/shortcuts.js), Enter goes to its entry.
  document.addEventListener("keydown", function (event) {
    const mark = event.target.closest && event.target.closest("mark[data-highlight-id]");
    if (mark && event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      goToEntry(mark);
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
      if (drawer.classList.contains("is-open")) {
        closeDrawer();
        toggle.focus();
      } else {
        openDrawer();
        panel.focus();
      }
    });
  }
  if (handle) {
    handle.hidden = false;
    handle.addEventListener("click", function () {
      closeDrawer();
      toggle.focus();
    });
  }
})();
