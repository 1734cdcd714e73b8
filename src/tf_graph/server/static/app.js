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

function renderCell(cell) {
  const td = el("td");
  if (!cell) return td;
  if (cell.type === "uri") {
    const text = cell.label || cell.value;
    if (isWebIRI(cell.value)) {
      td.appendChild(el("a", text, { href: cell.value, title: cell.value, rel: "noopener" }));
    } else {
      td.appendChild(el("span", text, { title: cell.value }));
    }
  } else if (cell.type === "bnode") {
    td.textContent = "_:" + cell.value;
  } else {
    td.textContent = cell.value;
    if (cell["xml:lang"]) td.setAttribute("lang", cell["xml:lang"]);
  }
  return td;
}

function renderTable(data, title) {
  $("results-title").textContent = title;
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
  setStatus(`Running ${spec.name}…`, false);
  try {
    const query = params.toString() ? `?${params}` : "";
    const data = await fetchJSON(`/api/query/${encodeURIComponent(spec.name)}${query}`);
    renderTable(data, spec.title || spec.name);
  } catch (err) {
    $("results").replaceChildren();
    setStatus(err.message, true);
  }
}

function renderQueries(specs) {
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
  setStatus("Running…", false);
  try {
    const body = new URLSearchParams({ query: $("editor").value });
    const data = await fetchJSON("/api/table", { method: "POST", body });
    renderTable(data, "Results");
  } catch (err) {
    $("results").replaceChildren();
    setStatus(err.message, true);
  }
}

function renderAnswer(data) {
  // the answer (one row per subject), then its evidence: item and quote
  const rows = (data.evidence || []).map((e) => [
    e.subject ? { ...e.subject, label: e.subjectLabel } : null,
    e.detail ? { type: "literal", value: e.detail } : null,
    e.item ? { ...e.item, label: e.itemLabel } : null,
    e.quote ? { type: "literal", value: e.quote } : null,
  ]);
  renderTable({ vars: ["answer", "how", "evidence", "quote"], rows, sparql: data.sparql },
              data.question || "Answer");
  const names = (data.answer || []).map((a) => a.label || a.value);
  const summary = el("p", `${names.length} answer${names.length === 1 ? "" : "s"}: ${names.join("; ")}`,
                      { id: "answer-summary" });
  $("results").prepend(summary);
  if (data.note) $("results").prepend(el("p", data.note, { class: "hint" }));
}

async function ask(event) {
  event.preventDefault();
  const question = $("ask-input").value.trim();
  if (!question) return;
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
