// Turns a text selection in the article into canonical-text offsets and
// submits them through the highlight toolbar (an htmx form the server renders).
// Keys, while text is selected: 1-4 highlight it with that meaning, h with the
// meaning used last (remembered in this browser), n likewise and asks the panel
// for the new highlight's note editor; Escape hides the toolbar and tells the
// page ("reader-dismiss") so other parts can close too.
//
// The offsets follow the server's rule (newsreader/lib/extraction/canonical.py):
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

  // The meaning "h" and "n" use: the last one chosen, else the first.
  const LAST_KEY = "newsreader.lastColour";
  const choices = Array.from(toolbar.querySelectorAll("button[name=colour]"));

  function lastChoice() {
    let stored = null;
    try {
      stored = window.localStorage.getItem(LAST_KEY);
    } catch (error) {
      // Storage can be refused (private modes): the first meaning it is.
    }
    return choices.find(function (button) { return button.value === stored; }) || choices[0];
  }

  function markLast() {
    const last = lastChoice();
    choices.forEach(function (button) {
      const label = button.title.replace(/ \(.*\)$/, "");
      const key = button.dataset.colourKey;
      button.classList.toggle("is-last", button === last);
      button.title = label + (button === last ? " (key " + key + ", or h: the last used)" : " (key " + key + ")");
    });
  }
  markLast();

  choices.forEach(function (button) {
    button.addEventListener("click", function () {
      try {
        window.localStorage.setItem(LAST_KEY, button.value);
      } catch (error) {
        // Not remembered; "h" keeps the meaning it had.
      }
      markLast();
    });
  });

  function highlightSelection(button) {
    const selected = selectedOffsets();
    if (!selected || !button) return false;
    toolbar.elements.start.value = selected.start;
    toolbar.elements.end.value = selected.end;
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
    const numbered = toolbar.querySelector('[data-colour-key="' + event.key + '"]');
    if (numbered && highlightSelection(numbered)) event.preventDefault();
    if (event.key === "h" && highlightSelection(lastChoice())) event.preventDefault();
    if (event.key === "n" && highlightSelection(lastChoice())) {
      noteWanted = true;
      event.preventDefault();
    }
    if (event.key === "Escape") {
      hideToolbar();
      document.body.dispatchEvent(new CustomEvent("reader-dismiss", { bubbles: true }));
    }
  });

  // The server names the highlight it saved (HX-Trigger-After-Settle); the
  // annotation panel opens its editor on "open-highlight-editor".
  document.body.addEventListener("highlight-saved", function (event) {
    if (!noteWanted) return;
    noteWanted = false;
    document.body.dispatchEvent(new CustomEvent("open-highlight-editor", {
      bubbles: true,
      detail: { id: event.detail.id },
    }));
  });

  // After the server answers: clear the selection and hide the toolbar.
  toolbar.addEventListener("htmx:afterRequest", function () {
    hideToolbar();
    const selection = window.getSelection();
    if (selection) selection.removeAllRanges();
  });
})();
