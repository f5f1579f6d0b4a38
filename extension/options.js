// The options page: server address, token, a connection test that lists the
// token's teams, and the team to save into. Everything is kept in
// storage.local (on this device only; the token is stored as typed).
"use strict";

const form = document.getElementById("settings");
const status = document.getElementById("status");
const teamSelect = form.elements.team;
// Roles as people read them; the others (owner, admin, member) read as they are.
const ROLE_NAMES = { readonly: "read-only", read_only: "read-only" };

function say(message, isError = false) {
  status.textContent = message;
  status.classList.toggle("error", isError);
}

// The settings as typed, or null (with the reason said) when they will not do.
function typedSettings() {
  let server;
  try {
    server = normaliseServer(form.elements.server.value);
  } catch (error) {
    say(error.message, true);
    form.elements.server.focus();
    return null;
  }
  const token = form.elements.token.value.trim();
  if (!token) {
    say("Paste a personal access token.", true);
    form.elements.token.focus();
    return null;
  }
  return { server, token, team: teamSelect.value };
}

// Firefox lets the user withhold host permissions, and asks only from within a
// click (before any await), so each button asks for the server's host first.
// Chromium granted it at install and answers true at once.
function askForServer(settings) {
  return api.permissions.request({ origins: [serverPattern(settings.server)] });
}

async function fetchTeams(settings) {
  const teams = [];
  let next = "/api/v1/teams/";
  for (let pages = 0; next && pages < 20; pages += 1) {
    const data = await callApi(settings, "GET", next);
    teams.push(...data.items);
    next = data.next;
  }
  return teams;
}

function fillTeams(teams, chosen) {
  teamSelect.replaceChildren(teamSelect.options[0]);
  for (const team of teams.filter((team) => team.can_write)) {
    teamSelect.add(new Option(team.name, team.slug, false, team.slug === chosen));
  }
}

async function testConnection(settings, chosen) {
  say("Connecting…");
  try {
    const teams = await fetchTeams(settings);
    fillTeams(teams, chosen);
    const names = teams.map((team) => `${team.name} (${ROLE_NAMES[team.role] ?? team.role})`);
    const writable = teams.filter((team) => team.can_write).length;
    say(
      teams.length === 0
        ? "Connected, but this token sees no teams."
        : `Connected. This token sees ${names.join(", ")}.` +
            (writable ? "" : " None of them lets you add articles.")
    );
  } catch (error) {
    say(error.message, true);
  }
}

document.getElementById("test").addEventListener("click", async () => {
  const settings = typedSettings();
  if (!settings) return;
  if (!(await askForServer(settings))) {
    say("Without access to the server the extension cannot reach it.", true);
    return;
  }
  await testConnection(settings, teamSelect.value);
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const settings = typedSettings();
  if (!settings) return;
  if (!(await askForServer(settings))) {
    say("Not saved: without access to the server the extension cannot reach it.", true);
    return;
  }
  await api.storage.local.set(settings);
  form.elements.server.value = settings.server;
  const host = new URL(settings.server).hostname;
  const unencrypted =
    settings.server.startsWith("http:") && !["localhost", "127.0.0.1", "[::1]"].includes(host);
  say(
    "Saved." +
      (unencrypted ? " With http:// the token and pages travel unencrypted: use https://." : "")
  );
});

// Show what is stored; with a server and token, fetch the team list again.
loadSettings().then((settings) => {
  form.elements.server.value = settings.server;
  form.elements.token.value = settings.token;
  if (settings.server && settings.token) testConnection(settings, settings.team);
});
