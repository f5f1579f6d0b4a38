// Turns a text selection in the article into canonical-text offsets and
// submits them through the highlight toolbar (an htmx form the server renders).
//
// The offsets follow the server's rule (articles/extraction/canonical.py):
// the canonical text is every text node under [data-canonical-root], in
// document order, concatenated; offsets count Unicode code points, not the
// UTF-16 units JavaScript strings use.
(function () {
  "use strict";

  const toolbar = document.getElementById("highlight-toolbar");
  if (!toolbar) return;

  function root() {
    return document.querySelector("[data-canonical-root]");
  }

  function codePoints(text) {
    let count = 0;
    for (const _ of text) count += 1;
    return count;
  }

  // The code-point offset of (node, offset) within the root's text.
  function offsetOf(container, node, offset) {
    if (node.nodeType !== Node.TEXT_NODE) {
      // A boundary between children: count the text of the children before it.
      const range = document.createRange();
      range.setStart(container, 0);
      range.setEnd(node, offset);
      return codePoints(textOfRange(container, range));
    }
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    let total = 0;
    for (let current = walker.nextNode(); current; current = walker.nextNode()) {
      if (current === node) return total + codePoints(current.data.slice(0, offset));
      total += codePoints(current.data);
    }
    return null;
  }

  function textOfRange(container, range) {
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    let text = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!range.intersectsNode(node)) continue;
      let data = node.data;
      if (node === range.endContainer) data = data.slice(0, range.endOffset);
      if (node === range.startContainer) data = data.slice(range.startOffset);
      text += data;
    }
    return text;
  }

  // The selection as {start, end}, or null when it is empty or not (wholly)
  // inside the article body.
  function selectedOffsets() {
    const container = root();
    const selection = window.getSelection();
    if (!container || !selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    const range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) {
      return null;
    }
    const start = offsetOf(container, range.startContainer, range.startOffset);
    const end = offsetOf(container, range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return null;
    if (!range.toString().trim()) return null;
    return { start: start, end: end, rect: range.getBoundingClientRect() };
  }

  function hideToolbar() {
    toolbar.hidden = true;
  }

  function showToolbar() {
    const selected = selectedOffsets();
    if (!selected) {
      hideToolbar();
      return;
    }
    toolbar.elements.start.value = selected.start;
    toolbar.elements.end.value = selected.end;
    toolbar.hidden = false;
    const top = window.scrollY + selected.rect.bottom + 8;
    const maxLeft = document.documentElement.clientWidth - toolbar.offsetWidth - 8;
    const left = Math.max(8, Math.min(window.scrollX + selected.rect.left, maxLeft));
    toolbar.style.top = top + "px";
    toolbar.style.left = left + "px";
  }

  // After `n`, the new highlight's note editor opens (see "highlight-saved").
  let noteWanted = false;

  function highlightSelection(colour) {
    const selected = selectedOffsets();
    if (!selected) return false;
    toolbar.elements.start.value = selected.start;
    toolbar.elements.end.value = selected.end;
    const button = toolbar.querySelector('button[value="' + colour + '"]') ||
      toolbar.querySelector("button[name=colour]");
    // A click (not requestSubmit) so htmx sends the button's colour with the form.
    button.click();
    return true;
  }

  // Mouse and touch selections end with pointerup; keyboard ones with keyup;
  // dragging a touch selection's handles only fires selectionchange.
  let selectionTimer = null;
  document.addEventListener("selectionchange", function () {
    window.clearTimeout(selectionTimer);
    selectionTimer = window.setTimeout(function () {
      if (!toolbar.contains(document.activeElement)) showToolbar();
    }, 250);
  });
  document.addEventListener("pointerup", function (event) {
    if (toolbar.contains(event.target)) return;
    window.setTimeout(showToolbar, 0);
  });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey || event.key.startsWith("Arrow")) showToolbar();
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "h" && highlightSelection("yellow")) event.preventDefault();
    if (event.key === "n" && highlightSelection("yellow")) {
      noteWanted = true;
      event.preventDefault();
    }
    if (event.key === "Escape") {
      hideToolbar();
      closeDrawer();
    }
  });

  // The server names the highlight it saved (HX-Trigger-After-Settle).
  document.body.addEventListener("highlight-saved", function (event) {
    if (!noteWanted) return;
    noteWanted = false;
    const link = document.querySelector('[data-edit-highlight="' + event.detail.id + '"]');
    if (!link) return;
    openDrawer();
    openEditor(link);
  });

  // An entry's "Edit" link loads the author's controls under the entry (one
  // delegated handler keeps the panel's markup small); without JavaScript it
  // is a plain link to the highlight's page.
  function openEditor(link) {
    const item = link.closest(".highlight-item");
    let editor = item.querySelector(".item-editor");
    if (!editor) {
      editor = document.createElement("div");
      editor.className = "item-editor";
      item.appendChild(editor);
    }
    return htmx.ajax("GET", link.getAttribute("href"), { target: editor }).then(function () {
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

  // On narrow screens the panel is a drawer opened by a button.
  const panel = document.getElementById("annotation-panel");
  const toggle = document.getElementById("panel-toggle");
  const narrow = window.matchMedia("(max-width: 70rem)");

  function openDrawer() {
    if (!narrow.matches || !panel) return;
    panel.classList.add("is-open");
    toggle.setAttribute("aria-expanded", "true");
  }

  function closeDrawer() {
    if (!panel || !panel.classList.contains("is-open")) return;
    panel.classList.remove("is-open");
    toggle.setAttribute("aria-expanded", "false");
  }

  if (panel && toggle) {
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

  // After the server answers: clear the selection and hide the toolbar.
  toolbar.addEventListener("htmx:afterRequest", function () {
    hideToolbar();
    const selection = window.getSelection();
    if (selection) selection.removeAllRanges();
  });

  // A refused request (403, 404, an expired session) must not fail silently.
  document.body.addEventListener("htmx:responseError", function (event) {
    const status = document.getElementById("reader-status");
    if (!status) return;
    const code = event.detail.xhr.status;
    const message = code === 403
      ? "You cannot change this (your role in the team may have changed)."
      : code === 404
        ? "This is no longer here. Reload the page."
        : "Something went wrong (" + code + "). Reload the page and try again.";
    const paragraph = document.createElement("p");
    paragraph.className = "status-error";
    paragraph.textContent = message;
    status.replaceChildren(paragraph);
  });

  // Live updates swap the article body and the panel; never while the reader
  // is selecting, typing or has an editor open (it would clear their work).
  function busy() {
    const selection = window.getSelection();
    const container = root();
    if (selection && !selection.isCollapsed && container &&
        container.contains(selection.anchorNode)) return true;
    if (!toolbar.hidden) return true;
    const active = document.activeElement;
    if (active && active.matches("textarea, input, select")) return true;
    return Boolean(document.querySelector(".item-editor:not(:empty), #annotation-panel details[open]"));
  }

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.id === "live-updates" && busy()) event.preventDefault();
  });
})();
