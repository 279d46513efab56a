// Two projects or versions side by side (GET /api/compare?a=ID[:V]&b=ID[:V]).
"use strict";

const RESULT_LABELS = {
  feed_pressure_bar: "Feed pressure (bar)", recovery: "Recovery (−)", permeate_flow_m3_h: "Permeate flow (m3/h)",
  permeate_tds_mg_L: "Permeate TDS (mg/L)", concentrate_tds_mg_L: "Concentrate TDS (mg/L)",
  sec_kWh_m3: "Specific energy (kWh/m3)", total_power_kW: "Power (kW)", warnings: "Warnings",
};

async function fillVersions(side, projectId, wanted) {
  const select = document.getElementById(`${side}-version`);
  select.replaceChildren(osmo.el("option", { value: "" }, "latest"));
  if (!projectId) return;
  const versions = await osmo.api(`/api/projects/${projectId}/versions`);
  for (const v of versions) select.appendChild(osmo.el("option", { value: v.number, selected: String(v.number) === wanted }, `v${v.number} ${v.created_at ? v.created_at.slice(0, 16).replace("T", " ") : ""}`));
}

function reference(side) {
  const p = document.getElementById(`${side}-project`).value;
  const v = document.getElementById(`${side}-version`).value;
  return v ? `${p}:${v}` : p;
}

function cell(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return osmo.fmt(value);
}

async function compare() {
  const a = reference("a"), b = reference("b");
  if (!a || !b) return;
  history.replaceState(null, "", `/compare?a=${a}&b=${b}`);
  try {
    const out = await osmo.api(`/api/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
    document.getElementById("compare-title").textContent =
      `Key results: A = ${out.a.name} v${out.a.version}, B = ${out.b.name} v${out.b.version}`;
    osmo.table(document.getElementById("result-table"), out.results, [
      [(r) => RESULT_LABELS[r.key] || r.key, "Result"], [(r) => cell(r.a), "A"], [(r) => cell(r.b), "B"],
      [(r) => cell(r.difference), "B − A"],
      [(r) => (r.relative === null || r.relative === undefined ? "—" : `${(100 * r.relative).toFixed(1)} %`), "relative"]],
      (r) => (r.difference ? "differs" : ""));
    const only = document.getElementById("only-differences").checked;
    const inputs = only ? out.inputs.filter((i) => i.differs) : out.inputs;
    osmo.table(document.getElementById("input-table"), inputs, [
      [(i) => i.field, "Field"], [(i) => cell(i.a), "A"], [(i) => cell(i.b), "B"]],
      (i) => (i.differs ? "differs" : ""));
    document.querySelectorAll("#result-table tr > :first-child, #input-table tr > :first-child").forEach((c) => c.classList.add("left"));
    osmo.status(`${out.inputs.filter((i) => i.differs).length} inputs differ`);
  } catch (err) { osmo.status(err.message, true); }
}

document.addEventListener("DOMContentLoaded", async () => {
  const [qa, qb] = [osmo.query("a") || "", osmo.query("b") || ""];
  const [pa, va] = qa.split(":"), [pb, vb] = qb.split(":");
  let projects = [];
  try { projects = (await osmo.api("/api/projects")).projects; } catch (err) { osmo.status(err.message, true); }
  for (const [side, wantP, wantV, fallback] of [["a", pa, va, 1], ["b", pb, vb, 0]]) {
    const select = document.getElementById(`${side}-project`);
    for (const p of projects) select.appendChild(osmo.el("option", { value: p.id }, p.name));
    if (wantP) select.value = wantP;
    else if (projects.length) select.value = projects[Math.min(fallback, projects.length - 1)].id;
    select.addEventListener("change", async () => { await fillVersions(side, select.value); compare(); });
    await fillVersions(side, select.value, wantV);
    document.getElementById(`${side}-version`).addEventListener("change", compare);
  }
  document.getElementById("compare-btn").addEventListener("click", compare);
  document.getElementById("only-differences").addEventListener("change", compare);
  if (projects.length) compare();
  else osmo.status("no saved projects yet: save two designs first");
});
