// Duet's listening-study page: plain JavaScript, no build step. It talks only to this server's /api/study routes.
// The participant's anonymous id lives in localStorage, so a closed tab resumes where it stopped; every answer
// is stored by the server before the next comparison is shown. System names never reach the page.
// Access token (a study served beyond this machine): open the page as /#token=<token>; it is sent as
// "Authorization: Bearer" and set as the SameSite=Strict cookie duet_token (path /api/study/clips) for <audio>.
"use strict";

const storageKey = "duet_study_participant";
const state = { token: null, participant: null, comparison: null, busy: false };
const $ = (id) => document.getElementById(id);

function readToken() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem("duet_token", decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  state.token = sessionStorage.getItem("duet_token");
  if (state.token) {
    document.cookie = "duet_token=" + encodeURIComponent(state.token) + "; path=/api/study/clips; SameSite=Strict";
  }
}

class APIError extends Error {
  constructor(message, status) { super(message); this.status = status; }
}

async function api(path, body) {
  const headers = state.token ? { Authorization: "Bearer " + state.token } : {};
  const options = { headers, cache: "no-store", method: body === undefined ? "GET" : "POST" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    throw new APIError("The server did not answer (" + error.message + "). Your earlier answers are saved; try again.", 0);
  }
  if (!response.ok) {
    let message = response.status + " " + response.statusText;
    try { message = (await response.json()).error || message; } catch (_) { /* not JSON */ }
    throw new APIError(message, response.status);
  }
  return response.json();
}

function showError(error) {
  const box = $("error");
  box.hidden = !error;
  box.textContent = error ? error.message : "";
}

function show(section) {
  for (const id of ["intro", "trial", "done"]) $(id).hidden = id !== section;
}

function stopAudio() {
  for (const id of ["left-audio", "right-audio"]) {
    const audio = $(id);
    audio.pause();
  }
}

function render(next) {
  state.participant = next.participant;
  localStorage.setItem(storageKey, next.participant);
  state.comparison = next.comparison;
  stopAudio();
  if (!next.comparison) {
    $("done-text").textContent = "All " + next.total + " comparisons are answered and saved. You can close this page.";
    show("done");
    $("done-title").focus();
    return;
  }
  $("progress").max = next.total;
  $("progress").value = next.answered;
  $("progress-text").textContent = "Comparison " + (next.answered + 1) + " of " + next.total;
  $("prompt").textContent = next.comparison.prompt;
  $("left-audio").src = next.comparison.left;
  $("right-audio").src = next.comparison.right;
  setBusy(false);
  show("trial");
  $("prompt").focus();
}

function setBusy(busy) {
  state.busy = busy;
  for (const id of ["choose-left", "choose-tie", "choose-right"]) $(id).disabled = busy;
}

async function answer(choice) {
  if (state.busy || !state.comparison) return;
  setBusy(true);
  try {
    const next = await api("/api/study/participants/" + state.participant + "/answers",
      { trial: state.comparison.trial, choice });
    showError(null);
    render(next);
  } catch (error) {
    setBusy(false);
    showError(error);
  }
}

async function start() {
  $("start").disabled = true;
  try {
    render(await api("/api/study/participants", {}));
    showError(null);
  } catch (error) {
    $("start").disabled = false;
    showError(error);
  }
}

async function resume() {
  const stored = localStorage.getItem(storageKey);
  if (stored) {
    try {
      render(await api("/api/study/participants/" + stored + "/next"));
      return;
    } catch (error) {
      // A participant this study does not know (another study file): start afresh.
      if (error.status !== 404 && error.status !== 400) { showError(error); return; }
      localStorage.removeItem(storageKey);
    }
  }
  try {
    const info = await api("/api/study");
    $("intro-count").textContent = String(info.comparisonsPerParticipant);
  } catch (error) {
    showError(error);
  }
  show("intro");
  $("start").focus();
}

const keys = { "1": "left", "ArrowLeft": "left", "2": "tie", "ArrowDown": "tie", "3": "right", "ArrowRight": "right" };

document.addEventListener("keydown", (event) => {
  if ($("trial").hidden || event.altKey || event.ctrlKey || event.metaKey) return;
  const choice = keys[event.key];
  if (!choice) return;
  // Arrow keys on a focused player seek it; they answer only from elsewhere on the page.
  if (event.key.startsWith("Arrow") && event.target instanceof HTMLMediaElement) return;
  event.preventDefault();
  answer(choice);
});

document.addEventListener("DOMContentLoaded", () => {
  readToken();
  $("start").addEventListener("click", start);
  for (const id of ["choose-left", "choose-tie", "choose-right"]) {
    $(id).addEventListener("click", (event) => answer(event.currentTarget.dataset.choice));
  }
  // Only one track plays at a time.
  for (const [id, other] of [["left-audio", "right-audio"], ["right-audio", "left-audio"]]) {
    $(id).addEventListener("play", () => $(other).pause());
  }
  resume();
});
