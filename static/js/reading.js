// Reading position: where the reader stopped is saved now and then while they
// scroll, and restored when they come back (unless the address names a place,
// like #hl-12, or they had finished). Never a request per scroll event: at
// most one every few seconds, only when the position moved, and one last one
// as the page is left (sendBeacon, which survives the unload).
(function () {
  "use strict";

  const root = document.querySelector("[data-progress-url]");
  if (!root) return;
  const url = root.dataset.progressUrl;
  // The page's CSRF token, as htmx sends it (base.html's hx-headers).
  const csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  const body = document.getElementById("reader-content") || root;
  const EVERY_MS = 4000;
  const STEP = 0.01;
  let sent = parseFloat(root.dataset.progress);
  let timer = null;
  // Only a reader who scrolled has a new position: opening and leaving sends nothing.
  let moved = false;
  let restoring = false;

  function progress() {
    const box = body.getBoundingClientRect();
    const height = box.height;
    if (height <= 0) return 0;
    // How much of the article has been above the bottom of the window.
    const seen = (window.innerHeight - box.top) / height;
    return Math.min(1, Math.max(0, Math.round(seen * 1000) / 1000));
  }

  function form(value) {
    const data = new FormData();
    data.append("progress", String(value));
    data.append("csrfmiddlewaretoken", csrf);
    return data;
  }

  function send(beacon) {
    timer = null;
    if (!moved) return;
    const value = progress();
    if (!isNaN(sent) && Math.abs(value - sent) < STEP) return;
    sent = value;
    root.dataset.progressNow = String(value);
    if (beacon && navigator.sendBeacon) {
      navigator.sendBeacon(url, form(value));
    } else {
      fetch(url, { method: "POST", body: form(value), credentials: "same-origin", keepalive: true });
    }
  }

  window.addEventListener("scroll", function () {
    if (restoring) return;
    moved = true;
    if (timer === null) timer = window.setTimeout(send, EVERY_MS);
  }, { passive: true });
  window.addEventListener("pagehide", function () {
    if (timer !== null) window.clearTimeout(timer);
    send(true);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") send(true);
  });

  // Back where they were: the same share of the article at the window's bottom.
  // (The scroll this causes is not the reader's.)
  const saved = parseFloat(root.dataset.progress);
  if (!location.hash && saved > 0 && saved < 0.98) {
    const box = body.getBoundingClientRect();
    const top = window.scrollY + box.top + saved * box.height - window.innerHeight;
    if (top > 0) {
      restoring = true;
      window.scrollTo(0, top);
      window.setTimeout(function () { restoring = false; }, 100);
    }
  }
})();
