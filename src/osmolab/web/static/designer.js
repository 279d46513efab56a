// Plant designer: a form over a design dict (the shape of a YAML design file); every edit
// re-projects it on the server (POST /api/project, debounced) and redraws tables and plots.
"use strict";

const state = { design: null, result: null, elements: [], projectId: null, projectName: "",
                seq: 0, shown: 0 };
const DEBOUNCE_MS = 150;

// ------------------------------------------------------------------ design dict access
function getPath(obj, path) {
  return path.split(".").reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
}
function setPath(obj, path, value) {
  const keys = path.split(".");
  let o = obj;
  keys.slice(0, -1).forEach((k, i) => {
    if (o[k] === undefined || o[k] === null) o[k] = /^\d+$/.test(keys[i + 1]) ? [] : {};
    o = o[k];
  });
  const last = keys[keys.length - 1];
  if (value === undefined) delete o[last]; else o[last] = value;
}
// Bare numbers go to the server as numbers (its default units); "400 m3/h" stays a string.
function parseValue(text) {
  const t = String(text).trim();
  if (t === "") return undefined;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) ? Number(t) : t;
}

// ------------------------------------------------------------------ array (passes, stages)
function passes() {
  const a = state.design.array || (state.design.array = { stages: [] });
  if (a.passes) return a.passes.map((p, i) => ({ pass: p, prefix: `array.passes.${i}` }));
  return [{ pass: a, prefix: "array" }];
}
function elementName(e) { return e.name || e.element || e.model || ""; }

function renderArray() {
  const box = document.getElementById("passes");
  box.replaceChildren();
  const names = state.elements.map(elementName);
  passes().forEach(({ pass, prefix }, p) => {
    const table = osmo.el("table", { class: "stages" });
    table.appendChild(osmo.el("thead", {}, osmo.el("tr", {}, ...["Stage", "Vessels", "Elements / vessel", "Element", "Booster", ""].map((h) => osmo.el("th", {}, h)))));
    const body = osmo.el("tbody");
    (pass.stages || []).forEach((stage, s) => {
      const at = `${prefix}.stages.${s}`;
      const current = typeof stage.element === "string" ? stage.element : "";
      const select = osmo.el("select", { "data-path": `${at}.element` },
        ...[...new Set([current, ...names])].filter(Boolean).map((n) => osmo.el("option", { value: n, selected: n === current }, n)));
      body.appendChild(osmo.el("tr", {},
        osmo.el("td", {}, String(s + 1)),
        osmo.el("td", {}, osmo.el("input", { "data-path": `${at}.vessels`, size: 4 })),
        osmo.el("td", {}, osmo.el("input", { "data-path": `${at}.elements_per_vessel`, size: 3 })),
        osmo.el("td", {}, select),
        osmo.el("td", {}, osmo.el("input", { "data-path": `${at}.booster_pressure`, size: 4, placeholder: "0 bar" })),
        osmo.el("td", {}, (pass.stages.length > 1) ? osmo.el("button", { type: "button", title: "remove this stage",
          onclick: () => { pass.stages.splice(s, 1); renderArray(); schedule(); } }, "×") : "")));
    });
    table.appendChild(body);
    const head = osmo.el("div", { class: "passhead" }, osmo.el("strong", {}, `Pass ${p + 1}`));
    if (p > 0) {
      head.appendChild(osmo.el("label", {}, " recovery ", osmo.el("input", { "data-path": `${prefix}.recovery`, size: 5 })));
      head.appendChild(osmo.el("button", { type: "button", onclick: () => {
        const a = state.design.array; a.stages = a.passes[0].stages; delete a.passes; renderArray(); schedule(); } }, "remove pass"));
    }
    box.append(head, table);
  });
  document.getElementById("add-pass").hidden = passes().length > 1;
  bindInputs(box);
  renderElementInfo();
}

// Datasheet figures shown for each element in use (keys of GET /api/elements).
const DATASHEET = [
  ["manufacturer", "", ""], ["type", "", ""], ["area_m2", "area", " m²"],
  ["permeate_flow_m3_d", "permeate", " m³/d"], ["rejection_stabilized_pct", "rejection", " %"],
  ["boron_rejection_pct", "boron rejection", " %"], ["test_feed_nacl_mg_L", "test at", " mg/L NaCl"],
  ["test_pressure_bar", "", " bar"], ["test_recovery", "recovery", ""], ["max_pressure_bar", "max", " bar"],
  ["max_feed_flow_m3_h", "max feed", " m³/h"], ["feed_spacer_mil", "spacer", " mil"],
];

function renderElementInfo() {
  const used = new Set(passes().flatMap(({ pass }) => (pass.stages || []).map((s) => s.element)));
  const info = document.getElementById("element-info");
  info.replaceChildren();
  for (const e of state.elements) {
    if (!used.has(elementName(e))) continue;
    const figures = DATASHEET.filter(([k]) => e[k] !== undefined && e[k] !== null);
    info.appendChild(osmo.el("div", { class: "datasheet", title: e.source || "" }, osmo.el("strong", {}, elementName(e)), " ",
      figures.map(([k, label, unit]) => `${label} ${osmo.fmt(e[k])}${unit}`).join(" · ")));
  }
}

// ------------------------------------------------------------------ feed
function feedMode() { return state.design.feed && state.design.feed.ions ? "ions" : "composition"; }

function renderFeed() {
  const mode = feedMode();
  document.getElementById("feed-mode").value = mode;
  document.getElementById("feed-composition").hidden = mode !== "composition";
  document.getElementById("feed-ions").hidden = mode !== "ions";
  const rows = document.getElementById("ion-rows");
  rows.replaceChildren();
  if (mode === "ions") {
    for (const [ion, mg] of Object.entries(state.design.feed.ions)) addIonRow(ion, mg);
  }
  chargeBalance();
}
function addIonRow(ion, mg) {
  const rows = document.getElementById("ion-rows");
  const tr = osmo.el("tr", {},
    osmo.el("td", {}, osmo.el("input", { class: "ion-name", size: 7, value: ion || "" })),
    osmo.el("td", {}, osmo.el("input", { class: "ion-mg", size: 8, value: mg === undefined ? "" : mg })),
    osmo.el("td", {}, osmo.el("button", { type: "button", onclick: () => { tr.remove(); readIons(); } }, "×")));
  tr.addEventListener("input", readIons);
  rows.appendChild(tr);
}
function readIons() {
  const ions = {};
  for (const tr of document.querySelectorAll("#ion-rows tr")) {
    const name = tr.querySelector(".ion-name").value.trim();
    const mg = parseValue(tr.querySelector(".ion-mg").value);
    if (name && mg !== undefined) ions[name] = mg;
  }
  state.design.feed.ions = ions;
  chargeBalance();
  schedule();
}
// The charge balance comes from the library (POST /api/water-analysis), never from here.
const chargeBalance = osmo.debounce(async () => {
  const box = document.getElementById("charge-balance");
  const feed = state.design.feed || {};
  if (!feed.ions || !Object.keys(feed.ions).length) { box.textContent = ""; return; }
  const analysis = Object.entries(feed.ions).map(([ion, mg]) => `${ion} ${mg} mg/L`).join(", ");
  const body = { analysis, ph: typeof feed.pH === "number" ? feed.pH : 7.0 };
  if (feed.temperature !== undefined) body.temperature = feed.temperature;
  try {
    const out = await osmo.api("/api/water-analysis", { body });
    const f = out.feed || {};
    const parts = [`charge imbalance ${osmo.fmt(f.charge_imbalance_percent, 1)} % (limit ±5 %)`,
                   `TDS ${osmo.fmt(f.tds_mg_L)} mg/L`];
    if (f.speciation) parts.push(`ionic strength ${osmo.fmt(f.speciation.ionic_strength_mol_kg)} mol/kg`);
    const lsi = out.feed ? out.feed.lsi : undefined;
    if (typeof lsi === "number") parts.push(`LSI ${osmo.fmt(lsi, 2)}`);
    box.replaceChildren(osmo.el("strong", {}, "Charge balance: "), parts.join(" · "));
    box.classList.remove("error");
  } catch (err) {
    box.replaceChildren(osmo.el("strong", {}, "Charge balance: "), err.message);
    box.classList.add("error");
  }
}, DEBOUNCE_MS);

// ------------------------------------------------------------------ target
function renderTarget() {
  const t = state.design.target || {};
  const kind = ["recovery", "permeate_flow", "feed_pressure"].find((k) => t[k] !== undefined && t[k] !== null) || "recovery";
  document.getElementById("target-kind").value = kind;
  document.getElementById("target-value").value = t[kind] === undefined ? "" : t[kind];
}
function readTarget() {
  const kind = document.getElementById("target-kind").value;
  const value = parseValue(document.getElementById("target-value").value);
  state.design.target = value === undefined ? {} : { [kind]: value };
  schedule();
}

// ------------------------------------------------------------------ form binding
function bindInputs(root) {
  for (const input of root.querySelectorAll("[data-path]")) {
    const value = getPath(state.design, input.dataset.path);
    input.value = value === undefined || value === null ? "" : value;
    if (input.dataset.bound) continue;
    input.dataset.bound = "1";
    const handler = () => {
      setPath(state.design, input.dataset.path, input.tagName === "SELECT" ? input.value : parseValue(input.value));
      if (input.dataset.path.endsWith(".element")) renderElementInfo();
      if (input.dataset.path.startsWith("feed.")) chargeBalance();
      schedule();
    };
    input.addEventListener("input", handler);
    input.addEventListener("change", handler);
  }
}

function loadDesign(design) {
  state.design = design;
  state.design.feed = state.design.feed || {};
  bindInputs(document.getElementById("design-form"));
  renderFeed();
  renderArray();
  renderTarget();
  project();
}

// ------------------------------------------------------------------ projection
const schedule = osmo.debounce(() => project(), DEBOUNCE_MS);

async function project() {
  const seq = ++state.seq;
  const started = performance.now();
  const error = document.getElementById("error");
  try {
    const out = await osmo.api("/api/project", { body: { design: state.design } });
    if (seq < state.shown) return;  // a later edit already came back
    state.shown = seq;
    state.result = out.result;
    error.textContent = "";
    document.getElementById("roundtrip").textContent = `${Math.round(performance.now() - started)} ms round trip`;
    document.body.dataset.projections = String((+document.body.dataset.projections || 0) + 1);
    renderResult(out);
  } catch (err) {
    if (seq < state.shown) return;
    state.shown = seq;
    error.textContent = err.message;
    document.getElementById("roundtrip").textContent = "";
  }
}

const SUMMARY = [
  ["feed_pressure_bar", "Feed pressure", "bar"], ["recovery", "Recovery", "−"],
  ["permeate_flow_m3_h", "Permeate flow", "m3/h"], ["permeate_tds_mg_L", "Permeate TDS", "mg/L"],
  ["feed_tds_mg_L", "Feed TDS", "mg/L"], ["feed_osmotic_pressure_bar", "Feed osmotic pressure", "bar"],
  ["concentrate_tds_mg_L", "Concentrate TDS", "mg/L"], ["concentrate_pressure_bar", "Concentrate pressure", "bar"],
  ["total_power_kW", "Power", "kW"], ["sec_kWh_m3", "Specific energy", "kWh/m3"],
  ["min_sec_kWh_m3", "Thermodynamic minimum", "kWh/m3"], ["erd_recovered_kW", "Recovered by the ERD", "kW"],
];

function renderResult(out) {
  const r = out.result || {};
  const summary = document.getElementById("summary");
  summary.replaceChildren();
  if (r.feasible === false) summary.appendChild(osmo.el("tr", { class: "bad" }, osmo.el("td", { colspan: 3 }, `Not feasible: ${r.reason || ""}`)));
  for (const [key, label, unit] of SUMMARY) {
    if (r[key] === undefined) continue;
    summary.appendChild(osmo.el("tr", {}, osmo.el("th", {}, label),
      osmo.el("td", { "data-key": key }, osmo.fmt(r[key], key === "recovery" ? 3 : undefined)), osmo.el("td", { class: "unit" }, unit)));
  }
  const warnings = document.getElementById("warnings");
  warnings.replaceChildren(...(out.warnings || r.warnings || []).map((w) =>
    osmo.el("li", {}, typeof w === "string" ? w : (w.message || JSON.stringify(w)))));
  osmo.table(document.getElementById("stage-table"), r.stages || [], [
    ["pass", "Pass"], ["stage", "Stage"], ["vessels", "Vessels"], ["elements_per_vessel", "El./PV"],
    ["feed_flow_m3_h", "Feed m3/h"], ["feed_pressure_bar", "Feed bar"], ["booster_pressure_bar", "Booster bar"],
    ["concentrate_flow_m3_h", "Conc. m3/h"], ["permeate_flow_m3_h", "Perm. m3/h"], ["recovery", "Recovery"],
    ["average_flux_LMH", "Flux LMH"], ["pressure_drop_bar", "ΔP bar"], ["permeate_tds_mg_L", "Perm. TDS mg/L"]]);
  const elements = r.elements || [];
  osmo.table(document.getElementById("element-table"), elements, [
    ["pass", "Pass"], ["stage", "Stage"], ["position", "Pos."], ["element", "Element"],
    ["feed_flow_m3_h", "Feed m3/h"], ["permeate_flow_m3_h", "Perm. m3/h"], ["recovery", "Recovery"],
    ["flux_LMH", "Flux LMH"], ["max_flux_LMH", "Max LMH"], ["beta", "β"], ["ndp_bar", "NDP bar"],
    ["feed_pressure_bar", "Feed bar"], ["permeate_tds_mg_L", "Perm. TDS"], ["concentrate_tds_mg_L", "Conc. TDS"]],
    (row) => (row.max_flux_LMH !== undefined && row.flux_LMH > row.max_flux_LMH ? "bad" : ""));
  drawProfiles(elements);
}

// The four profile plots along the pressure vessels: one point per element position,
// stages one after another (dashed separators), a second pass starting a new line.
function drawProfiles(elements) {
  const x = elements.map((_, i) => i + 1);
  const separators = [], breaks = [];
  elements.forEach((e, i) => {
    if (i === 0) return;
    const prev = elements[i - 1];
    if (e.stage !== prev.stage || e.pass !== prev.pass) separators.push(i + 0.5);
    if (e.pass !== prev.pass) breaks.push(i);
  });
  const col = (k) => elements.map((e) => e[k]);
  const opts = { xlabel: "element position along the vessels (all stages)", separators };
  linePlot(document.getElementById("plot-pressure"), [
    { label: "feed pressure", x, y: col("feed_pressure_bar"), color: "#1f77b4", breaks },
    { label: "net driving pressure", x, y: col("ndp_bar"), color: "#2ca02c", breaks },
    { label: "osmotic pressure", x, y: col("feed_osmotic_pressure_bar"), color: "#d62728", dashed: true, breaks }], { ...opts, ymin: 0 });
  linePlot(document.getElementById("plot-flux"), [
    { label: "flux", x, y: col("flux_LMH"), color: "#ff7f0e", breaks },
    { label: "element limit", x, y: col("max_flux_LMH"), color: "#999", dashed: true, points: false, breaks }], { ...opts, ymin: 0 });
  linePlot(document.getElementById("plot-permeate"), [
    { label: "permeate TDS", x, y: col("permeate_tds_mg_L"), color: "#9467bd", breaks }], { ...opts, ymin: 0 });
  linePlot(document.getElementById("plot-beta"), [
    { label: "β", x, y: col("beta"), color: "#8c564b", breaks }], opts);
}

// ------------------------------------------------------------------ files and projects
function fileStem() { return (state.design.name || "design").replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 60); }

async function downloadYaml() {
  try {
    const out = await osmo.api("/api/design/yaml", { body: { design: state.design } });
    osmo.download(`${fileStem()}.yaml`, out.yaml, "text/yaml");
  } catch (err) { osmo.status(err.message, true); }
}
function downloadJson() {
  if (!state.result) { osmo.status("no projection yet", true); return; }
  osmo.download(`${fileStem()}.json`, JSON.stringify(state.result, null, 2), "application/json");
}
async function downloadReport() {
  try {
    const html = await osmo.api("/api/report", { body: { design: state.design } });
    osmo.download(`${fileStem()}.html`, typeof html === "string" ? html : html.html, "text/html");
  } catch (err) { osmo.status(err.message, true); }
}
async function importYaml(event) {
  const file = event.target.files[0];
  if (!file) return;
  try {
    const out = await osmo.api("/api/design/import", { body: { yaml: await file.text() } });
    state.projectId = null;
    loadDesign(out.design);
    osmo.status(`imported ${file.name}`);
  } catch (err) { osmo.status(`${file.name}: ${err.message}`, true); }
  event.target.value = "";
}

async function save() {
  const name = document.getElementById("save-name").value.trim() || state.design.name || "RO plant";
  const notes = document.getElementById("save-notes").value;
  try {
    let out;
    if (state.projectId && name === state.projectName) {
      out = await osmo.api(`/api/projects/${state.projectId}`, { method: "PUT", body: { design: state.design, notes } });
    } else {
      out = await osmo.api("/api/projects", { body: { name, notes, design: state.design } });
    }
    state.projectId = out.id || state.projectId;
    state.projectName = name;
    history.replaceState(null, "", `/designer?project=${state.projectId}`);
    showProject(out.version);
    osmo.status(`saved "${name}" (version ${out.version})`);
  } catch (err) { osmo.status(`save failed: ${err.message}`, true); }
}
function showProject(version) {
  const info = document.getElementById("project-info");
  info.replaceChildren();
  if (!state.projectId) return;
  info.append(osmo.el("a", { href: "/projects" }, `project ${state.projectId}`), version ? ` · version ${version}` : "");
}

async function openProject(id, version) {
  const path = version ? `/api/projects/${id}/versions/${version}` : `/api/projects/${id}`;
  const p = await osmo.api(path);
  state.projectId = p.id || id;
  state.projectName = p.name || "";
  document.getElementById("save-name").value = p.name || "";
  document.getElementById("save-notes").value = p.notes || "";
  showProject(p.version);
  loadDesign(p.design);
}

async function init() {
  document.getElementById("feed-mode").addEventListener("change", (e) => {
    const feed = state.design.feed;
    if (e.target.value === "ions") {
      delete feed.composition; delete feed.salinity; delete feed.tds;
      feed.ions = feed.ions || { "Na+": 780, "Cl-": 1200 };
    } else {
      delete feed.ions;
      feed.composition = feed.composition || "seawater 35 g/kg";
      bindInputs(document.getElementById("feed"));
    }
    renderFeed(); schedule();
  });
  document.getElementById("add-ion").addEventListener("click", () => addIonRow("", ""));
  document.getElementById("target-kind").addEventListener("change", readTarget);
  document.getElementById("target-value").addEventListener("input", readTarget);
  document.getElementById("add-stage").addEventListener("click", () => {
    const list = passes();
    const last = list[list.length - 1].pass;
    const prev = last.stages[last.stages.length - 1] || { vessels: 4, elements_per_vessel: 6, element: elementName(state.elements[0] || {}) };
    last.stages.push({ vessels: Math.max(1, Math.round(prev.vessels / 2)), elements_per_vessel: prev.elements_per_vessel, element: prev.element });
    renderArray(); schedule();
  });
  document.getElementById("add-pass").addEventListener("click", () => {
    const a = state.design.array;
    const first = a.passes ? a.passes[0] : { stages: a.stages };
    const bw = state.elements.map(elementName).find((n) => /^BW/.test(n)) || first.stages[0].element;
    a.passes = [first, { recovery: 0.85, stages: [{ vessels: Math.max(1, Math.round(first.stages[0].vessels / 3)), elements_per_vessel: 7, element: bw }] }];
    delete a.stages;
    renderArray(); schedule();
  });
  document.getElementById("dl-yaml").addEventListener("click", downloadYaml);
  document.getElementById("dl-json").addEventListener("click", downloadJson);
  document.getElementById("dl-report").addEventListener("click", downloadReport);
  document.getElementById("import-file").addEventListener("change", importYaml);
  document.getElementById("save-btn").addEventListener("click", save);
  const exampleSelect = document.getElementById("example");
  exampleSelect.addEventListener("change", async () => {
    if (!exampleSelect.value) return;
    const ex = await osmo.api(`/api/examples/${encodeURIComponent(exampleSelect.value)}`);
    state.projectId = null; showProject();
    loadDesign(ex.design);
  });
  try {
    const [examples, elements] = await Promise.all([osmo.api("/api/examples"), osmo.api("/api/elements")]);
    const names = Array.isArray(examples) ? examples : (examples.examples || examples.names || []);
    for (const n of names) {
      const name = typeof n === "string" ? n : n.name;
      exampleSelect.appendChild(osmo.el("option", { value: name }, name));
    }
    state.elements = Array.isArray(elements) ? elements : (elements.elements || []);
    const projectId = osmo.query("project");
    if (projectId) {
      await openProject(projectId, osmo.query("version"));
    } else {
      const name = osmo.query("example") || "seawater_px";
      exampleSelect.value = name;
      const ex = await osmo.api(`/api/examples/${encodeURIComponent(name)}`);
      loadDesign(ex.design);
    }
  } catch (err) {
    osmo.status(err.message, true);
  }
}
document.addEventListener("DOMContentLoaded", init);
