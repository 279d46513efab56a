// Saved projects: list and search, open in the designer, rename, duplicate, trash and
// restore, versions with restore, and a comparison of two ticked projects.
"use strict";

const ticked = new Set();

function when(iso) { return iso ? iso.replace("T", " ").slice(0, 16) : ""; }

async function act(promise, message) {
  try { await promise; osmo.status(message); } catch (err) { osmo.status(err.message, true); }
  await refresh();
}

async function refresh() {
  const q = document.getElementById("search").value.trim();
  const trash = document.getElementById("show-trash").checked;
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (trash) params.set("trash", "true");
  let projects = [];
  try { projects = (await osmo.api(`/api/projects?${params}`)).projects; }
  catch (err) { osmo.status(err.message, true); }
  document.getElementById("empty").hidden = projects.length > 0;
  const table = document.getElementById("project-table");
  osmo.table(table, projects, [
    [(p) => trash ? "" : osmo.el("input", { type: "checkbox", class: "tick", checked: ticked.has(p.id),
      onchange: (e) => { if (e.target.checked) ticked.add(p.id); else ticked.delete(p.id); updateCompare(); } }), ""],
    [(p) => trash ? p.name : osmo.el("a", { href: `/designer?project=${p.id}`, class: "project-name" }, p.name), "Name"],
    [(p) => p.notes || "", "Notes"],
    ["versions", "Versions"],
    [(p) => when(p.updated_at), "Changed"],
    [(p) => osmo.el("span", { class: "actions" }, ...(trash ? [
      osmo.el("button", { type: "button", onclick: () => act(osmo.api(`/api/projects/${p.id}/restore`, { body: {} }), `restored "${p.name}"`) }, "Restore"),
      osmo.el("button", { type: "button", onclick: () => confirm(`Delete "${p.name}" for good?`) &&
        act(osmo.api(`/api/projects/${p.id}?purge=true`, { method: "DELETE" }), `deleted "${p.name}"`) }, "Delete for good"),
    ] : [
      osmo.el("a", { href: `/designer?project=${p.id}` }, osmo.el("button", { type: "button" }, "Open")),
      osmo.el("button", { type: "button", onclick: () => {
        const name = prompt("New name", p.name);
        if (name && name !== p.name) act(osmo.api(`/api/projects/${p.id}`, { method: "PATCH", body: { name } }), `renamed to "${name}"`);
      } }, "Rename"),
      osmo.el("button", { type: "button", onclick: () => act(osmo.api(`/api/projects/${p.id}/duplicate`, { body: {} }), `duplicated "${p.name}"`) }, "Duplicate"),
      osmo.el("button", { type: "button", class: "versions-btn", onclick: () => showVersions(p) }, "Versions"),
      osmo.el("button", { type: "button", onclick: () => act(osmo.api(`/api/projects/${p.id}`, { method: "DELETE" }), `"${p.name}" moved to the trash (tick "show the trash" to restore it)`) }, "Trash"),
    ])), ""],
  ]);
  table.querySelectorAll("td, th").forEach((c) => c.classList.add("left"));
  updateCompare();
}

function updateCompare() {
  document.getElementById("compare-selected").disabled = ticked.size !== 2;
}

async function showVersions(p) {
  const panel = document.getElementById("versions-panel");
  panel.hidden = false;
  document.getElementById("versions-title").textContent = `Versions of "${p.name}"`;
  const versions = await osmo.api(`/api/projects/${p.id}/versions`);
  const latest = versions.length ? versions[versions.length - 1].number : 0;
  const table = document.getElementById("version-table");
  osmo.table(table, versions.slice().reverse(), [
    ["number", "Version"], [(v) => when(v.created_at), "Saved"], [(v) => v.notes || "", "Notes"],
    [(v) => osmo.el("span", { class: "actions" },
      osmo.el("a", { href: `/designer?project=${p.id}&version=${v.number}` }, osmo.el("button", { type: "button" }, "Open")),
      v.number === latest ? "" : osmo.el("a", { href: `/compare?a=${p.id}:${v.number}&b=${p.id}:${latest}`, class: "compare-link" },
        osmo.el("button", { type: "button" }, `Compare with v${latest}`)),
      v.number === latest ? "" : osmo.el("button", { type: "button", onclick: async () => {
        await act(osmo.api(`/api/projects/${p.id}/versions/${v.number}/restore`, { body: {} }), `version ${v.number} restored as the latest`);
        showVersions(p);
      } }, "Restore")), ""],
  ]);
  table.querySelectorAll("td, th").forEach((c) => c.classList.add("left"));
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("search").addEventListener("input", osmo.debounce(refresh, 150));
  document.getElementById("show-trash").addEventListener("change", refresh);
  document.getElementById("compare-selected").addEventListener("click", () => {
    const [a, b] = [...ticked];
    window.location.href = `/compare?a=${a}&b=${b}`;
  });
  refresh();
});
