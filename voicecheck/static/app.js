// The draft page: checks a draft as the writer types, and an export file on demand.
// Everything it shows from a post is inserted as text (textContent, text nodes), never as HTML.
"use strict";

const LABELS = {
  en: {
    skip: "Skip to the draft", title: "Check a draft", report: "Consistency report", switch_to: "Français",
    login_title: "This service needs its token", token: "Token", open: "Open", wrong_token: "Wrong token.",
    sign_out: "Sign out",
    draft_title: "Your draft", draft: "Draft", draft_help: "The verdict follows as you type.",
    channel: "Channel", other: "other", check: "Check", verdict_title: "Verdict",
    empty: "Type or paste a draft to see its verdict.", checking: "Checking…", score: "Score",
    threshold: "Flag threshold {t}: a score below it drifts from the voice (the brand's own word rules flag any score).",
    highlighted: "Your draft, marked", reasons: "Why", no_reasons: "Nothing stands out: it sounds like the brand.",
    examples: "How the brand says it", try_instead: "Try instead:", copy: "Copy", copied: "Copied",
    copy_failed: "Select the text to copy it", batch_title: "Check an export",
    file: "Choose an export file (CSV, JSON, Markdown, …) or drop it here", reading: "Reading {name}…",
    batch_done: "{count} posts checked in {name}: {drift} drift.", batch_done_one: "1 post checked in {name}: {drift} drift.",
    csv: "Download as CSV",
    batch_skipped: "Not read as posts: {count} ({reasons}).", skipped_reason: "{reason}: {count}",
    col_id: "Post", col_channel: "Channel", col_score: "Score", col_verdict: "Verdict", col_reason: "First reason",
    caption: "Results, sortable by column", footer: "Checked on this machine by voicecheck: nothing leaves it.",
    "verdict_on-voice": "on-voice", verdict_drift: "drift", verdict_insufficient: "insufficient",
    gauge_text: "score {score} out of 100, flag threshold {t}", error: "The service answered: {message}",
    unreachable: "The service cannot be reached.",
  },
  fr: {
    skip: "Aller au brouillon", title: "Vérifier un brouillon", report: "Rapport de cohérence", switch_to: "English",
    login_title: "Ce service demande son jeton", token: "Jeton", open: "Ouvrir", wrong_token: "Jeton incorrect.",
    sign_out: "Se déconnecter",
    draft_title: "Votre brouillon", draft: "Brouillon", draft_help: "Le verdict suit votre frappe.",
    channel: "Canal", other: "autre", check: "Vérifier", verdict_title: "Verdict",
    empty: "Tapez ou collez un brouillon pour voir son verdict.", checking: "Vérification…", score: "Score",
    threshold: "Seuil de signalement {t} : un score plus bas dérive de la voix (les règles de mots de la marque signalent à tout score).",
    highlighted: "Votre brouillon, annoté", reasons: "Pourquoi", no_reasons: "Rien ne détonne : c'est la voix de la marque.",
    examples: "Comme la marque le dit", try_instead: "Essayez plutôt :", copy: "Copier", copied: "Copié",
    copy_failed: "Sélectionnez le texte pour le copier", batch_title: "Vérifier un export",
    file: "Choisissez un fichier d'export (CSV, JSON, Markdown…) ou déposez-le ici", reading: "Lecture de {name}…",
    batch_done: "{count} publications vérifiées dans {name} : {drift} en dérive.",
    batch_done_one: "1 publication vérifiée dans {name} : {drift} en dérive.", csv: "Télécharger en CSV",
    batch_skipped: "Non lues comme publications : {count} ({reasons}).", skipped_reason: "{reason} : {count}",
    col_id: "Publication", col_channel: "Canal", col_score: "Score", col_verdict: "Verdict", col_reason: "Première raison",
    caption: "Résultats, triables par colonne", footer: "Vérifié sur cette machine par voicecheck : rien n'en sort.",
    "verdict_on-voice": "conforme", verdict_drift: "dérive", verdict_insufficient: "insuffisant",
    gauge_text: "score {score} sur 100, seuil de signalement {t}", error: "Le service a répondu : {message}",
    unreachable: "Le service est injoignable.",
  },
};
const DEBOUNCE_MS = 300;
const CSV_COLUMNS = [
  "id", "channel", "lang", "score", "flagged", "verdict", "reasons", "formality", "humor", "irreverence",
  "enthusiasm", "where", "text", "suggestions",
];

const state = {
  lang: initialLanguage(),
  csrf: null,
  facts: null,
  timer: null,
  controller: null,
  last: null, // the last verdict, redrawn when the language changes
  rows: [],
  skipped: {}, // what the file held that was not read as posts: reason -> count, as check's summary gives it
  sort: { key: null, ascending: true },
  batchName: "",
  file: null, // the last file checked, asked again in the other language
  typedAt: 0,
};
// Timings of each verdict (for benchmarks/page_latency.py): keystroke, request start, render.
window.voicecheckTimings = [];

const $ = (id) => document.getElementById(id);

function initialLanguage() {
  const asked = new URLSearchParams(location.search).get("lang");  // /?lang=fr, as the service's own pages take it
  if (asked === "en" || asked === "fr") return asked;
  const kept = localStorage.getItem("voicecheck-lang");
  if (kept === "en" || kept === "fr") return kept;
  return (navigator.language || "en").toLowerCase().startsWith("fr") ? "fr" : "en";
}

function say(key, values = {}) {
  const text = LABELS[state.lang][key] ?? LABELS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

function formatNumber(value) {
  return new Intl.NumberFormat(state.lang === "fr" ? "fr-CA" : "en-CA", { maximumFractionDigits: 1 }).format(value);
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// The page's own words, in the chosen language.
function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.querySelectorAll("[data-label]").forEach((node) => { node.textContent = say(node.dataset.label); });
  const other = state.lang === "fr" ? "en" : "fr";
  $("language").textContent = say("switch_to");
  $("language").lang = other;
  $("report-link").href = `/report?lang=${state.lang}`;
  $("results-caption").textContent = say("caption");
  document.title = `voicecheck · ${say("title")}`;
  fillChannels();
  if (state.rows.length) drawTable();
}

function fillChannels() {
  const select = $("channel");
  const chosen = select.value;
  select.replaceChildren();
  for (const channel of state.facts?.channels ?? []) select.append(new Option(channel, channel));
  select.append(new Option(say("other"), ""));
  if ([...select.options].some((option) => option.value === chosen)) select.value = chosen;
}

// Talking to the service: the session's CSRF token goes with every request.
async function call(path, options = {}) {
  const headers = new Headers(options.headers || {});
  if (state.csrf) headers.set("X-CSRF-Token", state.csrf);
  const response = await fetch(path, { ...options, headers, credentials: "same-origin" });
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = null;
  }
  return { response, body };
}

async function start() {
  applyLanguage();
  $("language").addEventListener("click", switchLanguage);
  $("login-form").addEventListener("submit", login);
  $("sign-out").addEventListener("click", signOut);
  $("draft-form").addEventListener("submit", (event) => { event.preventDefault(); checkNow(); });
  $("draft").addEventListener("input", scheduleCheck);
  $("channel").addEventListener("change", checkNow);
  $("file").addEventListener("change", () => { if ($("file").files[0]) checkFile($("file").files[0]); });
  setUpDrop();
  document.querySelectorAll("th button[data-sort]").forEach((button) => {
    button.addEventListener("click", () => sortBy(button.dataset.sort));
  });
  try {
    const { response, body } = await call("/session");
    if (response.ok && body.session) opened(body);
    else if (response.status === 401 || (response.ok && !body?.session)) showLogin();
    else showUnreachable(body);
  } catch (_) {
    showUnreachable(null);
  }
}

// The page cannot start: said where the writer looks, not inside the workspace it cannot show.
function showUnreachable(body) {
  $("login").hidden = true;
  $("workspace").hidden = true;
  $("unreachable").hidden = false;
  $("unreachable").textContent = body?.error ? say("error", { message: body.error }) : say("unreachable");
}

function showLogin() {
  $("workspace").hidden = true;
  $("login").hidden = false;
  $("token").focus();
}

function opened(facts) {
  state.facts = facts;
  state.csrf = facts.csrf;
  $("brand").textContent = facts.brand ? `· ${facts.brand}` : "";
  $("login").hidden = true;
  $("workspace").hidden = false;
  $("sign-out").hidden = !facts.csrf;  // a session to close only where the service asks for its token
  fillChannels();
  document.body.dataset.ready = "true";
}

async function login(event) {
  event.preventDefault();
  $("login-error").textContent = "";
  let answered;
  try {
    answered = await call("/session", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: $("token").value }),
    });
  } catch (_) {
    $("login-error").textContent = say("unreachable");  // the token is kept: nothing was tried
    return;
  }
  const { response, body } = answered;
  $("token").value = "";
  if (!response.ok) {
    const refused = response.status === 401 || !body?.error;
    $("login-error").textContent = refused ? say("wrong_token") : say("error", { message: body.error });
    $("token").focus();
    return;
  }
  opened(body);
  $("draft").focus();
}

// Signing out closes the session on the service (every worker), not just in this tab.
async function signOut() {
  try {
    const { response, body } = await call("/session", { method: "DELETE" });
    if (!response.ok && response.status !== 401) return showError($("status"), body);  // still signed in
  } catch (_) {
    return showError($("status"), null);  // the service did not hear it: still signed in there
  }
  state.csrf = null;
  state.facts = null;
  $("sign-out").hidden = true;
  $("draft").value = "";
  $("result").hidden = true;
  $("status").hidden = false;
  $("status").textContent = say("empty");
  clearBatch();  // the next writer in this tab sees none of this one's files
  showLogin();
}

function clearBatch() {
  state.file = null;  // nor asked again when the language changes
  state.rows = [];
  state.skipped = {};
  state.batchName = "";
  $("results").tBodies[0].replaceChildren();
  $("batch-result").hidden = true;
  $("batch-status").textContent = "";
  delete $("batch").dataset.state;
  const link = $("csv");
  if (link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
  link.removeAttribute("href");
}

function switchLanguage() {
  state.lang = state.lang === "fr" ? "en" : "fr";
  localStorage.setItem("voicecheck-lang", state.lang);
  applyLanguage();
  if (state.facts && $("draft").value.trim()) checkNow();
  if (state.facts && state.file) checkFile(state.file);  // its reasons are the service's words: asked again
}

// The draft: checked 300 ms after the last keystroke, or at once on the button.
function scheduleCheck() {
  state.typedAt = performance.now();
  clearTimeout(state.timer);
  state.timer = setTimeout(checkNow, DEBOUNCE_MS);
}

async function checkNow() {
  clearTimeout(state.timer);
  const text = $("draft").value;
  state.controller?.abort();
  if (!text.trim()) {
    $("result").hidden = true;
    $("status").hidden = false;
    $("status").textContent = say("empty");
    return;
  }
  const controller = new AbortController();
  state.controller = controller;
  const requested = performance.now();
  $("verdict").dataset.state = "pending";
  const post = { id: "draft", text, channel: $("channel").value || null };
  try {
    const { response, body } = await call(`/v1/check?lang=${state.lang}`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ posts: [post] }), signal: controller.signal,
    });
    if (controller !== state.controller) return;
    if (response.status === 401) return showLogin();
    if (!response.ok) return showError($("status"), body);
    state.last = body.results[0];
    drawVerdict(state.last);
    window.voicecheckTimings.push({ typed: state.typedAt, requested, rendered: performance.now() });
  } catch (error) {
    if (error.name !== "AbortError") showError($("status"), null);
  }
}

function showError(where, body) {
  $("verdict").dataset.state = "error";
  $("result").hidden = true;  // the verdict shown was an earlier draft's: this one has none
  where.hidden = false;
  where.textContent = body?.error ? say("error", { message: body.error }) : say("unreachable");
}

function drawVerdict(result) {
  const threshold = state.facts.threshold;
  $("status").hidden = true;
  $("result").hidden = false;
  $("score").textContent = formatNumber(result.score);
  const name = $("verdict-name");
  name.textContent = say(`verdict_${result.verdict}`);
  name.className = `badge ${result.verdict}`;
  const gauge = $("gauge");
  gauge.setAttribute("aria-valuenow", String(result.score));
  gauge.setAttribute("aria-valuetext", say("gauge_text", { score: formatNumber(result.score), t: formatNumber(threshold) }));
  gauge.dataset.verdict = result.verdict;
  $("gauge-fill").style.width = `${Math.max(0, Math.min(100, result.score))}%`; // CSSOM: allowed by the policy
  $("gauge-threshold").style.left = `${threshold}%`;
  $("threshold-note").textContent = say("threshold", { t: formatNumber(threshold) });
  drawMarked(result);
  drawReasons(result);
  $("notes").replaceChildren(...result.notes.map((note) => element("li", note)));
  $("examples").replaceChildren(...result.examples.map(drawExample));
  $("examples-title").hidden = $("examples").hidden = !result.examples.length;
  $("verdict").dataset.state = "done";
  $("verdict").dataset.done = String(Number($("verdict").dataset.done || 0) + 1);
}

// The draft as judged, with the words each reason is about in <mark>. Spans count characters
// (code points) as Python does; JavaScript strings count UTF-16 units, so the text is split first.
function drawMarked(result) {
  const characters = Array.from(result.text);
  const owners = characters.map(() => []);
  result.reasons.forEach((reason, number) => {
    for (const [start, end] of reason.spans || wordSpans(result.text, reason.words || [])) {
      for (let at = Math.max(0, start); at < Math.min(end, characters.length); at += 1) owners[at].push(number + 1);
    }
  });
  const parts = [];
  let at = 0;
  while (at < characters.length) {
    const key = owners[at].join(" ");
    let end = at;
    while (end < characters.length && owners[end].join(" ") === key) end += 1;
    const text = characters.slice(at, end).join("");
    if (key) {
      const mark = element("mark", text);
      mark.dataset.reasons = key;
      mark.title = key.split(" ").map((n) => result.reasons[n - 1].message).join("\n");
      parts.push(mark);
    } else {
      parts.push(document.createTextNode(text));
    }
    at = end;
  }
  $("marked").replaceChildren(...parts);
}

// Where a reason names the post's words without their places (a tone or style reason), they are
// found in the text: whole words, in any case. Offsets in code points, as the service gives spans.
function wordSpans(text, words) {
  const spans = [];
  for (const word of words) {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, "giu");
    for (const match of text.matchAll(pattern)) {
      const start = Array.from(text.slice(0, match.index)).length;
      spans.push([start, start + Array.from(match[0]).length]);
    }
  }
  return spans;
}

function drawReasons(result) {
  const list = $("reasons");
  if (!result.reasons.length) {
    list.replaceChildren(element("li", say("no_reasons"), "none"));
    return;
  }
  list.replaceChildren(...result.reasons.map((reason) => {
    const item = element("li");
    item.dataset.code = reason.code;
    item.append(element("p", capitalised(reason.message), "message"));
    if (reason.suggestion) item.append(drawSuggestion(reason.suggestion));
    return item;
  }));
}

function drawSuggestion(suggestion) {
  const box = element("div", undefined, "suggestion");
  const advice = element("p");
  advice.append(element("span", say("try_instead"), "lead"), document.createTextNode(" " + suggestion.message));
  box.append(advice);
  if (suggestion.rewrite) {
    const line = element("p", undefined, "rewrite");
    line.append(element("q", suggestion.rewrite));
    const button = element("button", say("copy"), "copy");
    button.type = "button";
    button.addEventListener("click", () => copy(suggestion.rewrite, button));
    line.append(" ", button);
    box.append(line);
  }
  return box;
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = say("copied");
  } catch (_) {
    button.textContent = say("copy_failed");
  }
  setTimeout(() => { button.textContent = say("copy"); }, 2000);
}

function drawExample(example) {
  const item = element("li");
  if (example.channel) item.append(element("span", example.channel, "channel"), " ");
  item.append(element("span", example.text, "text"));
  return item;
}

function capitalised(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

// An export file: dropped or chosen, read and judged by the service, shown as a sortable table.
function setUpDrop() {
  const drop = $("drop");
  ["dragenter", "dragover"].forEach((name) => drop.addEventListener(name, (event) => {
    event.preventDefault();
    drop.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((name) => drop.addEventListener(name, () => drop.classList.remove("over")));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    const file = event.dataTransfer?.files?.[0];
    if (file) checkFile(file);
  });
}

async function checkFile(file) {
  clearBatch();  // an earlier file's table is no answer for this one, whatever comes
  state.file = file;
  const status = $("batch-status");
  status.textContent = say("reading", { name: file.name });
  $("batch").dataset.state = "pending";
  try {
    const { response, body } = await call(`/v1/check-file?lang=${state.lang}`, {
      method: "POST", body: file,
      headers: { "Content-Type": "application/octet-stream", "X-File-Name": encodeURIComponent(file.name) },
    });
    if (response.status === 401) return showLogin();
    if (!response.ok) {
      status.textContent = body?.error ? say("error", { message: body.error }) : say("unreachable");
      $("batch").dataset.state = "error";
      return;
    }
    state.rows = body.results;
    state.skipped = body.summary?.input?.skipped ?? {};
    state.batchName = file.name;
    state.sort = { key: null, ascending: true };
    drawTable();
    $("batch").dataset.state = "done";
  } catch (_) {
    status.textContent = say("unreachable");
    $("batch").dataset.state = "error";
  }
}

function sortBy(key) {
  state.sort = { key, ascending: state.sort.key === key ? !state.sort.ascending : true };
  drawTable();
}

function sortedRows() {
  const { key, ascending } = state.sort;
  if (!key) return state.rows;
  const value = (row) => (key === "score" ? row.score : String(row[key] ?? ""));
  const order = (a, b) => (key === "score" ? value(a) - value(b) : value(a).localeCompare(value(b), state.lang));
  return [...state.rows].sort((a, b) => (ascending ? order(a, b) : order(b, a)));
}

function drawTable() {
  const rows = sortedRows();
  const drift = state.rows.filter((row) => row.verdict === "drift").length;
  const done = say(state.rows.length === 1 ? "batch_done_one" : "batch_done", { count: state.rows.length, name: state.batchName, drift });
  $("batch-status").textContent = [done, skippedText()].filter(Boolean).join(" ");
  document.querySelectorAll("#results th").forEach((cell) => {
    const button = cell.querySelector("button");
    if (!button) return;
    const sorted = button.dataset.sort === state.sort.key;
    cell.setAttribute("aria-sort", sorted ? (state.sort.ascending ? "ascending" : "descending") : "none");
  });
  $("results").tBodies[0].replaceChildren(...rows.map((row) => {
    const line = element("tr");
    line.dataset.verdict = row.verdict;
    line.append(
      element("td", row.id), element("td", row.channel ?? ""), element("td", formatNumber(row.score), "number"),
      element("td", say(`verdict_${row.verdict}`), `verdict ${row.verdict}`),
      element("td", row.reasons.length ? capitalised(row.reasons[0].message) : ""),
    );
    return line;
  }));
  const link = $("csv");
  if (link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([csvText(state.rows)], { type: "text/csv;charset=utf-8" }));
  link.download = `voicecheck-${state.batchName.replace(/\.[^.]*$/, "") || "results"}.csv`;
  $("batch-result").hidden = false;
}

// What the file held that was not read as posts, most frequent reason first: nothing goes unsaid.
function skippedText() {
  const reasons = Object.entries(state.skipped).sort(([, a], [, b]) => b - a);
  const count = reasons.reduce((total, [, n]) => total + n, 0);
  if (!count) return "";
  const each = reasons.map(([reason, n]) => say("skipped_reason", { reason, count: n }));
  return say("batch_skipped", { count, reasons: each.join("; ") });
}

// CSV as `check --format csv` writes it, cells neutralised as voicecheck.formats.escape does:
// controls spelt out (tabs and line breaks kept), a quote before what a spreadsheet reads as a formula.
function csvCell(value) {
  if (typeof value !== "string") return value === null || value === undefined ? "" : String(value);
  const hidden = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
  let shown = value.replace(hidden, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
  if (/^[=+\-@\t\r]/.test(shown)) shown = `'${shown}`;
  return /[",\r\n]/.test(shown) ? `"${shown.replace(/"/g, '""')}"` : shown;
}

function csvText(results) {
  const lines = [CSV_COLUMNS.join(",")];
  for (const r of results) {
    const reasons = r.reasons.map((reason) => reason.message).join("; ");
    const suggestions = r.reasons.filter((reason) => reason.suggestion).map((reason) => reason.suggestion.message).join("; ");
    const tone = ["formality", "humor", "irreverence", "enthusiasm"].map((d) => r.tone?.[d]);
    const cells = [r.id, r.channel ?? "", r.lang, r.score, String(r.flagged), r.verdict, reasons, ...tone, r.where, r.text, suggestions];
    lines.push(cells.map(csvCell).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

document.addEventListener("DOMContentLoaded", start);
