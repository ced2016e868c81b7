// Duet's web page: plain JavaScript, no build step. It talks only to this server's /api routes.
// Access token: open the page as /#token=<token>; the token is kept in this tab's sessionStorage, sent as
// "Authorization: Bearer" on every API call, and set as the SameSite=Strict cookie duet_token (path
// /api/tracks) so that <audio> elements, which cannot send headers, can stream.
"use strict";

const state = { token: null, lastRequest: null, limits: null };
const $ = (id) => document.getElementById(id);

function readToken() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem("duet_token", decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  setToken(sessionStorage.getItem("duet_token"));
}

function setToken(token) {
  state.token = token || null;
  if (state.token) {
    sessionStorage.setItem("duet_token", state.token);
    document.cookie = "duet_token=" + encodeURIComponent(state.token) + "; path=/api/tracks; SameSite=Strict";
  }
}

class APIError extends Error {
  constructor(message, status) { super(message); this.status = status; }
}

async function api(path, asText = false) {
  const headers = state.token ? { Authorization: "Bearer " + state.token } : {};
  let response;
  try {
    response = await fetch(path, { headers, cache: "no-store" });
  } catch (error) {
    throw new APIError("The server did not answer (" + error.message + "). Is duet serve still running?", 0);
  }
  if (!response.ok) {
    let message = response.status + " " + response.statusText;
    try { message = (await response.json()).error || message; } catch (_) { /* not JSON */ }
    throw new APIError(message, response.status);
  }
  return asText ? response.text() : response.json();
}

function showError(error) {
  const box = $("error");
  if (!error) { box.hidden = true; box.textContent = ""; return; }
  box.textContent = error.message;
  box.hidden = false;
  if (error.status === 401) {
    $("token-form").hidden = false;
    $("token").focus();
  }
}

function status(text) { $("status").textContent = text; }

function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return "";
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = String(total % 60).padStart(2, "0");
  return hours > 0 ? hours + ":" + String(minutes).padStart(2, "0") + ":" + rest : minutes + ":" + rest;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderResults(title, results) {
  $("results-title").textContent = title;
  const list = $("results");
  list.replaceChildren();
  results.forEach((hit, index) => {
    const track = hit.track;
    const item = element("li", "result");
    item.dataset.trackId = String(track.id);

    const head = element("div", "result-head");
    head.append(element("span", "rank", String(index + 1)));
    const names = element("div", "names");
    names.append(element("h3", "title", track.title));
    const byline = [track.artist, track.album, track.year].filter((part) => part !== null && part !== undefined && part !== "");
    names.append(element("p", "byline", byline.join(" · ") || "Unknown artist"));
    head.append(names);
    const score = element("span", "score", hit.score.toFixed(3));
    score.title = "Similarity to the query (cosine, higher is closer)";
    head.append(score);
    item.append(head);

    const tags = element("ul", "tags");
    const shown = [...(track.genres || []), ...(track.tags || [])];
    [...new Set(shown)].slice(0, 8).forEach((tag) => tags.append(element("li", "tag", tag)));
    if (tags.childElementCount) item.append(tags);

    const controls = element("div", "controls");
    const audio = document.createElement("audio");
    audio.controls = true;
    audio.preload = "metadata";
    audio.src = "/api/tracks/" + encodeURIComponent(track.id) + "/audio";
    audio.setAttribute("aria-label", "Play " + track.title);
    controls.append(audio);
    controls.append(element("span", "duration", formatDuration(track.duration)));
    const more = element("button", "more", "More like this");
    more.type = "button";
    more.setAttribute("aria-label", "More like " + track.title);
    more.addEventListener("click", () => similar(track));
    controls.append(more);
    item.append(controls);
    list.append(item);
  });
  $("results-section").hidden = false;
  if (!results.length) status("No track matched. Try other words or fewer filters.");
}

function searchParameters(text) {
  const parameters = new URLSearchParams({ q: text });
  const fields = [["genre", "genre"], ["artist", "artist"], ["min-duration", "min_duration"],
    ["max-duration", "max_duration"], ["k", "k"], ["max-per-artist", "max_per_artist"]];
  for (const [id, name] of fields) {
    const value = $(id).value.trim();
    if (value !== "") parameters.set(name, value);
  }
  return parameters;
}

async function search(event) {
  if (event) event.preventDefault();
  const text = $("query").value.trim();
  if (!text) { $("query").focus(); return; }
  const parameters = searchParameters(text);
  showError(null);
  status("Searching…");
  try {
    const response = await api("/api/search?" + parameters.toString());
    state.lastRequest = parameters;
    history.replaceState(null, "", "?q=" + encodeURIComponent(text));
    renderResults("Results for “" + response.query + "”", response.results);
    if (response.results.length) status(response.results.length + " tracks");
  } catch (error) {
    status("");
    showError(error);
  }
}

async function similar(track) {
  const parameters = new URLSearchParams({ id: String(track.id) });
  const k = $("k").value.trim();
  if (k) parameters.set("k", k);
  showError(null);
  status("Finding tracks like " + track.title + "…");
  try {
    const response = await api("/api/similar?" + parameters.toString());
    state.lastRequest = parameters;
    renderResults("More like “" + track.title + "”", response.results);
    if (response.results.length) status(response.results.length + " tracks like " + track.title);
    $("results-title").focus();
  } catch (error) {
    status("");
    showError(error);
  }
}

async function saveM3U() {
  if (!state.lastRequest) return;
  try {
    const text = await api("/api/playlist.m3u?" + state.lastRequest.toString(), true);
    const url = URL.createObjectURL(new Blob([text], { type: "audio/x-mpegurl" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "duet-playlist.m3u";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    status("Playlist saved.");
  } catch (error) {
    showError(error);
  }
}

async function loadInfo() {
  try {
    const info = await api("/api/info");
    state.limits = info.limits;
    $("query").maxLength = info.limits.maximumQueryLength;
    $("k").max = info.limits.maximumK;
    $("footer").textContent = info.tracks + " tracks · model " + info.model;
  } catch (error) {
    if (error.status === 401) showError(error);
    else $("footer").textContent = "Could not read the library's size: " + error.message;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  readToken();
  $("search-form").addEventListener("submit", search);
  $("save-m3u").addEventListener("click", saveM3U);
  $("results-title").tabIndex = -1;
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    setToken($("token").value.trim());
    $("token-form").hidden = true;
    showError(null);
    loadInfo();
    if ($("query").value.trim()) search();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && document.activeElement.tagName !== "INPUT") {
      event.preventDefault();
      $("query").focus();
    }
  });
  $("query").focus();
  loadInfo();
  // A search can be bookmarked or shared as /?q=...
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    $("query").value = initial;
    search();
  }
});
