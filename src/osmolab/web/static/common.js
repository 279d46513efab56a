// osmolab workbench: helpers shared by the page scripts (no framework, works offline).
"use strict";

const osmo = {
  // Call the JSON API; resolves to the parsed body, rejects with Error(one-line detail).
  async api(path, options = {}) {
    const init = { method: options.method || (options.body === undefined ? "GET" : "POST"),
                   headers: { "Accept": "application/json" } };
    if (options.body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    const response = await fetch(path, init);
    const type = response.headers.get("content-type") || "";
    const body = type.includes("json") ? await response.json() : await response.text();
    if (!response.ok) {
      const detail = body && body.detail ? body.detail : `HTTP ${response.status}`;
      throw new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
    }
    return body;
  },

  // Offer text as a file download.
  download(name, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type: type || "text/plain" }));
    const a = document.createElement("a");
    a.href = url; a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  },

  status(text, isError) {
    const el = document.getElementById("status");
    if (!el) return;
    el.textContent = text || "";
    el.classList.toggle("error", !!isError);
  },

  // Number formatting for tables: 3-4 significant figures, thousands kept whole.
  fmt(value, digits) {
    if (value === null || value === undefined) return "";
    if (typeof value === "boolean") return value ? "yes" : "no";
    if (typeof value !== "number") return String(value);
    if (!isFinite(value)) return String(value);
    const a = Math.abs(value);
    if (digits !== undefined) return value.toFixed(digits);
    if (Number.isInteger(value)) return a >= 10000 ? value.toLocaleString("en") : String(value);
    if (a >= 1000) return Math.round(value).toLocaleString("en");
    if (a >= 100) return value.toFixed(1);
    if (a >= 1) return value.toFixed(2);
    if (a === 0) return "0";
    return value.toPrecision(3);
  },

  el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
    }
    return node;
  },

  // Fill a <table> from rows of objects; columns: [[key, header], ...].
  table(tableEl, rows, columns, rowClass) {
    tableEl.replaceChildren();
    const head = osmo.el("tr", {}, ...columns.map(([, h]) => osmo.el("th", {}, h)));
    tableEl.appendChild(osmo.el("thead", {}, head));
    const body = osmo.el("tbody");
    for (const row of rows) {
      const tr = osmo.el("tr", { class: rowClass ? rowClass(row) : undefined },
        ...columns.map(([k]) => osmo.el("td", {}, typeof k === "function" ? k(row) : osmo.fmt(row[k]))));
      body.appendChild(tr);
    }
    tableEl.appendChild(body);
  },

  debounce(fn, ms) {
    let timer = null;
    return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  },

  query(name) { return new URLSearchParams(window.location.search).get(name); },
};
window.osmo = osmo;
