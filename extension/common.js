// Shared by the background script and the options page: the browser API, the
// stored settings, and the one function that talks to the server.
"use strict";

// Firefox has `browser` (and `chrome` too, in MV3); Chromium has only `chrome`.
const api = globalThis.browser ?? globalThis.chrome;

async function loadSettings() {
  const stored = await api.storage.local.get(["server", "token", "team"]);
  return { server: stored.server || "", token: stored.token || "", team: stored.team || "" };
}

// "https://reader.example.org/" -> "https://reader.example.org". A path is kept
// (a server may live under one); anything but http(s) is refused.
function normaliseServer(value) {
  let url;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error("Enter the server's address, for example https://reader.example.org");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error("The server's address must start with https:// or http://");
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error("Enter the server's address without a user name, “?” or “#”.");
  }
  return (url.origin + url.pathname).replace(/\/+$/, "");
}

// The match pattern for the server's host (no port: patterns match every port).
function serverPattern(server) {
  const url = new URL(server);
  return `${url.protocol}//${url.hostname}/*`;
}

// Calls the newsreader API on the configured server and nowhere else. `path`
// is "/api/v1/..." or an absolute URL the server handed out (a `next` page).
// Resolves to the answer's JSON; rejects with an Error whose message can be
// shown as it is (the server's own message when it sent one).
async function callApi(settings, method, path, body) {
  const url = path.startsWith("/") ? settings.server + path : path;
  if (!url.startsWith(settings.server + "/")) {
    throw new Error(`Refusing to send anything outside ${settings.server}.`);
  }
  const init = {
    method,
    headers: { Accept: "application/json", Authorization: `Bearer ${settings.token}` },
    credentials: "omit", // the token is the credential; no session cookies
    redirect: "manual", // following a redirect could carry the page elsewhere
    cache: "no-store",
  };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new Error(`Could not reach ${settings.server}.`);
  }
  if (response.type === "opaqueredirect") {
    throw new Error(
      `${settings.server} answered with a redirect: check the address (https://, not http://?).`
    );
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    // Not JSON: a proxy's error page, or not a newsreader at all.
  }
  if (!response.ok) {
    const message = data?.error?.message;
    throw new Error(message || `The server answered ${response.status} ${response.statusText}.`);
  }
  if (data === null) {
    throw new Error(`The answer from ${settings.server} was not JSON: is it a newsreader?`);
  }
  return data;
}
