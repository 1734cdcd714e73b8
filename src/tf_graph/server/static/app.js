// The query page: named queries as one-click examples, a SPARQL editor, a question box.
// Every string from the server is put in the page with textContent, never parsed as HTML,
// and only http(s) IRIs become links.
"use strict";

const $ = (id) => document.getElementById(id);

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  return node;
}

function setStatus(message, isError) {
  const status = $("status");
  status.textContent = message;
  status.className = isError ? "error" : "";
}

async function fetchJSON(url, options) {
  const response = await fetch(url, options);
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    throw new Error(`HTTP ${response.status}: the server did not answer with JSON`);
  }
  if (!response.ok) throw new Error(data && data.error ? data.error : `HTTP ${response.status}`);
  return data;
}

function isWebIRI(value) {
  return /^https?:\/\//i.test(value);
}

// the graph's own IRIs open their page on this server (/id/...); others go where they point
const ENTITY_BASE = "https://w3id.org/tf-graph/id/";
function hrefOf(iri) {
  if (iri.startsWith(ENTITY_BASE) && iri.length > ENTITY_BASE.length) {
    return "/id/" + iri.slice(ENTITY_BASE.length).split("/").map(encodeURIComponent).join("/");
  }
  return isWebIRI(iri) ? iri : null;
}

function link(text, iri) {
  const href = hrefOf(iri);
  if (!href) return el("span", text, { title: iri });
  return el("a", text, { href, title: iri, rel: "noopener" });
}

function showHeading(title, description) {
  $("results-title").textContent = title;
  $("results-description").textContent = description || "";
  document.title = `${title} – tf-graph`;
}

function markCurrent(name) {
  for (const item of document.querySelectorAll("#queries li")) {
    item.setAttribute("aria-current", item.dataset.name === name ? "true" : "false");
  }
}

function renderCell(cell) {
  const td = el("td");
  if (!cell) return td;
  if (cell.type === "uri") {
    td.appendChild(link(cell.label || cell.value, cell.value));
  } else if (cell.type === "bnode") {
    td.textContent = "_:" + cell.value;
  } else {
    td.textContent = cell.value;
    if (cell["xml:lang"]) td.setAttribute("lang", cell["xml:lang"]);
  }
  return td;
}

function renderTable(data) {
  const holder = $("results");
  holder.replaceChildren();
  const table = el("table", null, { id: "results-table" });
  const head = el("tr");
  for (const name of data.vars) head.appendChild(el("th", name));
  table.appendChild(el("thead")).appendChild(head);
  const body = el("tbody");
  for (const row of data.rows) {
    const tr = el("tr");
    for (const cell of row) tr.appendChild(renderCell(cell));
    body.appendChild(tr);
  }
  table.appendChild(body);
  holder.appendChild(table);
  setStatus(`${data.rows.length} row${data.rows.length === 1 ? "" : "s"}`, false);
  const details = $("sparql-details");
  details.hidden = !data.sparql;
  $("sparql-text").textContent = data.sparql || "";
}

async function runNamed(spec, inputs) {
  const params = new URLSearchParams();
  for (const [name, input] of Object.entries(inputs)) {
    if (input.value.trim() !== "") params.set(name, input.value.trim());
  }
  showHeading(spec.title || spec.name, spec.description);
  markCurrent(spec.name);
  $("answer-box").hidden = true;
  setStatus(`Running ${spec.title || spec.name}…`, false);
  try {
    const query = params.toString() ? `?${params}` : "";
    const data = await fetchJSON(`/api/query/${encodeURIComponent(spec.name)}${query}`);
    renderTable(data);
  } catch (err) {
    $("results").replaceChildren();
    setStatus(err.message, true);
  }
}

// named query -> its title, to name the query that answered a question
const QUERY_TITLES = {};

function renderQueries(specs) {
  for (const spec of specs) QUERY_TITLES[spec.name] = spec.title || spec.name;
  const list = $("queries");
  list.replaceChildren();
  for (const spec of specs) {
    const item = el("li", null, { "data-name": spec.name });
    const inputs = {};
    const button = el("button", spec.title || spec.name, {
      type: "button",
      class: "run",
      "data-query": spec.name,
    });
    item.appendChild(button);
    item.appendChild(el("p", spec.description));
    for (const param of spec.params || []) {
      const label = el("label", `${param.name}: ${param.meaning || ""}`);
      const input = el("input", null, { type: "text", name: param.name });
      input.placeholder = param.default || "";
      label.appendChild(el("br"));
      label.appendChild(input);
      inputs[param.name] = input;
      item.appendChild(label);
    }
    button.addEventListener("click", () => runNamed(spec, inputs));
    list.appendChild(item);
  }
}

async function runEditor(event) {
  event.preventDefault();
  showHeading("Results", "Your own SPARQL query, run on the graph.");
  markCurrent(null);
  $("answer-box").hidden = true;
  setStatus("Running…", false);
  try {
    const body = new URLSearchParams({ query: $("editor").value });
    const data = await fetchJSON("/api/table", { method: "POST", body });
    renderTable(data);
  } catch (err) {
    $("results").replaceChildren();
    setStatus(err.message, true);
  }
}

// the plain-English answer: one sentence, then each answer with the evidence behind it
function renderAnswerBox(data) {
  const box = $("answer-box");
  box.replaceChildren();
  const names = (data.answer || []).map((a) => a.label || a.value);
  const sentence = el("p", null, { id: "answer-summary", class: "answer-sentence" });
  if (names.length) {
    sentence.appendChild(el("strong", `${names.length} answer${names.length === 1 ? "" : "s"}: `));
    sentence.appendChild(document.createTextNode(`${names.join("; ")}.`));
  } else {
    sentence.textContent = "The graph holds no answer to this question.";
  }
  box.appendChild(sentence);
  const given = Object.entries(data.params || {}).map(([k, v]) => `${k} = ${v.given}`);
  const title = QUERY_TITLES[data.query] || data.query;
  box.appendChild(el("p", `Answered by the ready-made question “${title}”` +
    (given.length ? ` (${given.join(", ")})` : "") + ". The evidence, in the source's words:",
    { class: "hint" }));
  const bySubject = new Map();
  for (const e of data.evidence || []) {
    const key = e.subject && e.subject.value ? e.subject.value : "";
    if (!bySubject.has(key)) bySubject.set(key, { label: e.subjectLabel, items: [] });
    bySubject.get(key).items.push(e);
  }
  const list = el("ul", null, { id: "answer-evidence" });
  for (const [iri, group] of bySubject) {
    const li = el("li");
    li.appendChild(iri ? link(group.label || iri, iri) : el("span", group.label));
    const inner = el("ul");
    for (const e of group.items.slice(0, 3)) {
      const item = el("li");
      if (e.detail) item.appendChild(document.createTextNode(`${e.detail}: `));
      if (e.item && e.item.value) item.appendChild(link(e.itemLabel || e.item.value, e.item.value));
      if (e.quote) item.appendChild(el("blockquote", e.quote));
      if (e.source) item.appendChild(el("div", `source: ${e.source}`, { class: "source" }));
      inner.appendChild(item);
    }
    if (group.items.length > 3) {
      inner.appendChild(el("li", `and ${group.items.length - 3} more in the table below`, { class: "hint" }));
    }
    li.appendChild(inner);
    list.appendChild(li);
  }
  box.appendChild(list);
  box.hidden = false;
}

function renderAnswer(data) {
  showHeading(data.question || "Answer", data.note || "");
  markCurrent(null);
  renderAnswerBox(data);
  // every piece of evidence, as a table
  const rows = (data.evidence || []).map((e) => [
    e.subject ? { ...e.subject, label: e.subjectLabel } : null,
    e.detail ? { type: "literal", value: e.detail } : null,
    e.item ? { ...e.item, label: e.itemLabel } : null,
    e.quote ? { type: "literal", value: e.quote } : null,
  ]);
  renderTable({ vars: ["answer", "how", "evidence", "quote"], rows, sparql: data.sparql });
}

async function ask(event) {
  event.preventDefault();
  const question = $("ask-input").value.trim();
  if (!question) return;
  showHeading(question, "");
  $("answer-box").hidden = true;
  setStatus("Thinking…", false);
  try {
    renderAnswer(await fetchJSON(`/api/ask?q=${encodeURIComponent(question)}`));
  } catch (err) {
    $("results").replaceChildren();
    setStatus(err.message, true);
  }
}

async function start() {
  $("editor-form").addEventListener("submit", runEditor);
  $("ask-form").addEventListener("submit", ask);
  try {
    renderQueries(await fetchJSON("/api/queries"));
  } catch (err) {
    setStatus(`Named queries unavailable: ${err.message}`, true);
  }
}

document.addEventListener("DOMContentLoaded", start);
