// The toolbar button and the two context-menu items: read the tab's rendered
// page (and selection), send it to the configured newsreader, show the outcome
// on the button's badge and in its title.
//
// Chromium runs this file as a service worker (importScripts loads common.js);
// Firefox runs it as an event page, after common.js (the manifest's "scripts").
"use strict";

if (typeof importScripts === "function") importScripts("common.js");

const DEFAULT_TITLE = "Save page to newsreader";
const BADGE = {
  busy: { text: "…", color: "#59616b", clearAfter: 0 },
  ok: { text: "✓", color: "#1a7f37", clearAfter: 4000 },
  warn: { text: "!", color: "#9a6700", clearAfter: 15000 },
  error: { text: "!", color: "#b42318", clearAfter: 15000 },
};
const CONTEXT = 32; // characters of text kept before and after a selection

// Runs inside the tab: executeScript serialises this function, so it can use
// nothing from this file but its argument.
function readPage(wantSelection, context) {
  const lastChars = (text, n) => Array.from(text.slice(-2 * n)).slice(-n).join("");
  const firstChars = (text, n) => Array.from(text.slice(0, 2 * n)).slice(0, n).join("");
  let selection = null;
  const current = wantSelection ? window.getSelection() : null;
  if (current && current.rangeCount > 0 && !current.isCollapsed) {
    const range = current.getRangeAt(0);
    const exact = range.toString();
    const body = (range.commonAncestorContainer.ownerDocument || document).body;
    if (exact.trim() && body) {
      // The body's text up to the selection, and from its end on.
      const before = document.createRange();
      before.selectNodeContents(body);
      const after = before.cloneRange();
      before.setEnd(range.startContainer, range.startOffset);
      after.setStart(range.endContainer, range.endOffset);
      selection = {
        exact,
        prefix: lastChars(before.toString(), context),
        suffix: firstChars(after.toString(), context),
      };
    }
  }
  return {
    html: document.documentElement.outerHTML,
    url: location.href,
    title: document.title,
    selection,
  };
}

async function readTab(tab, wantSelection) {
  let results;
  try {
    results = await api.scripting.executeScript({
      target: { tabId: tab.id },
      func: readPage,
      args: [wantSelection, CONTEXT],
    });
  } catch {
    // Browser pages, extension stores and PDFs viewers refuse scripts.
    throw new Error("This page cannot be read by extensions, so it cannot be saved.");
  }
  const page = results?.[0]?.result;
  if (!page) throw new Error("Could not read this page.");
  if (!/^https?:/.test(page.url)) throw new Error("Only web pages (http or https) can be saved.");
  return page;
}

// One pending "clear the badge" timer per tab, so a new save is not cleared early.
const clearTimers = new Map();

async function show(tab, kind, message, data = null) {
  const badge = BADGE[kind];
  const tabId = tab.id;
  clearTimeout(clearTimers.get(tabId));
  clearTimers.delete(tabId);
  await Promise.all([
    api.action.setBadgeText({ tabId, text: badge.text }),
    api.action.setBadgeBackgroundColor({ tabId, color: badge.color }),
    api.action.setBadgeTextColor?.({ tabId, color: "#ffffff" }),
    api.action.setTitle({ tabId, title: `newsreader: ${message}` }),
  ]).catch(() => {}); // the tab may have closed meanwhile; nothing to show then
  if (badge.clearAfter) {
    const timer = setTimeout(() => {
      clearTimers.delete(tabId);
      api.action.setBadgeText({ tabId, text: "" }).catch(() => {});
      api.action.setTitle({ tabId, title: DEFAULT_TITLE }).catch(() => {});
    }, badge.clearAfter);
    clearTimers.set(tabId, timer);
  }
  return { kind, message, data };
}

function describe(data) {
  const title = `“${data.article.title}”`;
  if (data.highlight_error) {
    return ["warn", `Saved ${title}, but not the highlight: ${data.highlight_error}`];
  }
  if (data.highlight) {
    return ["ok", data.duplicate ? `Highlighted in ${title}` : `Saved ${title}, highlighted`];
  }
  return ["ok", data.duplicate ? `${title} was already saved` : `Saved ${title}`];
}

// Saves the tab's page; with `highlight`, the selection becomes a highlight in
// it. `selectionText` (from the context menu) stands in when the selection is
// in a frame the script cannot see. Resolves to {kind, message, data}.
async function save(tab, { highlight = false, selectionText = "" } = {}) {
  const settings = await loadSettings();
  if (!settings.server || !settings.token) {
    await api.runtime.openOptionsPage();
    return show(tab, "error", "Choose your server and paste a token first.");
  }
  await show(tab, "busy", "Saving…");
  try {
    const page = await readTab(tab, highlight);
    const body = { url: page.url, title: page.title, html: page.html };
    if (settings.team) body.team = settings.team;
    if (highlight) {
      const typed = selectionText.trim() ? { exact: selectionText, prefix: "", suffix: "" } : null;
      const selection = page.selection ?? typed;
      if (!selection) throw new Error("Select some text to highlight first.");
      body.highlight = { ...selection, colour: "yellow" };
    }
    const data = await callApi(settings, "POST", "/api/v1/articles/", body);
    const [kind, message] = describe(data);
    return show(tab, kind, message, data);
  } catch (error) {
    return show(tab, "error", error.message);
  }
}

// On globalThis so tests (and the devtools console) can run what a click runs.
globalThis.savePage = (tab) => save(tab);
globalThis.saveSelection = (tab, selectionText = "") =>
  save(tab, { highlight: true, selectionText });

api.action.onClicked.addListener((tab) => savePage(tab));

// Chromium keeps menus across restarts; making them again at startup too covers
// browsers that do not keep an event page's menus.
async function createMenus() {
  await api.contextMenus.removeAll();
  api.contextMenus.create({ id: "save-page", title: "Save page", contexts: ["page"] });
  api.contextMenus.create({
    id: "save-selection",
    title: "Save selection as highlight",
    contexts: ["selection"],
  });
}
api.runtime.onInstalled.addListener(createMenus);
api.runtime.onStartup.addListener(createMenus);

api.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === "save-page") savePage(tab);
  if (info.menuItemId === "save-selection") saveSelection(tab, info.selectionText || "");
});
