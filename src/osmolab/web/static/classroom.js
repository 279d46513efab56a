// Classroom: a particle scenario simulated on the server, streamed over /ws/classroom as
// binary frames (float32 header, wall x, particle x/y; uint8 species) and drawn on a canvas.
"use strict";

const COLORS = {
  mixing: ["#1f77b4", "#ff7f0e"],
  osmosis: ["#9ecae1", "#d62728"],
  reverse_osmosis: ["#9ecae1", "#d62728"],
  sieving: ["#9ecae1", "#7b3294", "#1b9e77", "#e6ab02", "#a6761d", "#2f5f2f"],
};
// concentration slider (0..1) -> the scenario's parameter and its range
const CONCENTRATION = {
  mixing: ["gas number density n σ²", 0.03, 0.3, 0.1],
  osmosis: ["solute fraction", 0.03, 0.4, 0.15],
  reverse_osmosis: ["solute density n σ²", 0.02, 0.2, 0.08],
};
const HEADER = 4;

const room = {
  ws: null, setup: null, frame: null, frames: 0, fpsFrames: 0, fpsSince: performance.now(),
  history: [], drawPending: false,
};
window.classroom = room;

function $(id) { return document.getElementById(id); }

function decode(buffer) {
  const head = new Float32Array(buffer, 0, HEADER);
  const n = head[2], w = head[3];
  return {
    number: head[0], time: head[1], n,
    walls: new Float32Array(buffer, 4 * HEADER, w),
    xy: new Float32Array(buffer, 4 * (HEADER + w), 2 * n),
    species: new Uint8Array(buffer, 4 * (HEADER + w) + 8 * n, n),
  };
}

// Fraction of species 0 found in the right half of the box (the mixing test's picture).
room.rightFraction = function rightFraction() {
  const f = room.frame, box = room.setup && room.setup.box;
  if (!f || !box) return null;
  let total = 0, right = 0;
  for (let i = 0; i < f.n; i++) if (f.species[i] === 0) { total++; if (f.xy[2 * i] > box[0] / 2) right++; }
  return total ? right / total : null;
};

function params() {
  const scenario = $("scenario").value;
  const out = { type: "start", scenario, particles: parseInt($("particles").value, 10) || 2000,
                temperature: parseFloat($("temperature").value) };
  const c = CONCENTRATION[scenario];
  if (c) out.concentration = c[1] + (c[2] - c[1]) * parseFloat($("concentration").value);
  if (scenario === "reverse_osmosis") out.pressure_ratio = parseFloat($("pressure").value);
  if (scenario === "sieving") out.pore_diameter = parseFloat($("pore").value);
  return out;
}

function send(message) {
  if (room.ws && room.ws.readyState === WebSocket.OPEN) room.ws.send(JSON.stringify(message));
}

function start() {
  room.history = [];
  send(params());
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const token = osmo.query("token");
  const ws = new WebSocket(`${scheme}://${location.host}/ws/classroom${token ? `?token=${encodeURIComponent(token)}` : ""}`);
  ws.binaryType = "arraybuffer";
  ws.onopen = () => { osmo.status("connected"); start(); };
  ws.onclose = (e) => osmo.status(`disconnected${e.code === 1008 ? ": this server needs its token (?token=...)" : ""}`, true);
  ws.onmessage = (event) => {
    if (typeof event.data === "string") { onMessage(JSON.parse(event.data)); return; }
    room.frame = decode(event.data);
    room.frames++; room.fpsFrames++;
    $("frame-count").textContent = room.frames;
    document.body.dataset.frames = String(room.frames);
    const now = performance.now();
    if (now - room.fpsSince > 1000) {
      $("fps").textContent = (1000 * room.fpsFrames / (now - room.fpsSince)).toFixed(0);
      room.fpsFrames = 0; room.fpsSince = now;
    }
    if (!room.drawPending) { room.drawPending = true; requestAnimationFrame(draw); }
  };
  room.ws = ws;
}

function onMessage(m) {
  if (m.type === "setup") {
    room.setup = m;
    $("description").textContent = m.description;
    $("particle-count").textContent = m.particles;
    const colors = COLORS[m.scenario];
    $("legend").replaceChildren(...m.species.map((s, i) => osmo.el("span", {},
      osmo.el("i", { style: `background:${colors[i % colors.length]}` }), `${s.name} (σ ${osmo.fmt(s.diameter)})`)));
    $("stats").replaceChildren();
    osmo.status("");
  } else if (m.type === "stats") {
    room.stats = m;
    showStats(m);
  } else if (m.type === "error") {
    osmo.status(m.detail, true);
  }
}

function row(label, value) { return osmo.el("div", {}, `${label}: `, osmo.el("strong", {}, value)); }

function showStats(m) {
  const out = [row("time", `${osmo.fmt(m.time)} τ`), row("temperature", `${osmo.fmt(m.temperature, 2)} (set ${osmo.fmt(m.set_temperature, 2)})`)];
  const scenario = room.setup ? room.setup.scenario : "";
  const series = [];
  if (scenario === "mixing") {
    out.push(row("partition", m.partition), row("degree of mixing", osmo.fmt(m.degree_of_mixing, 3)),
      row("D kinetic theory (Chapman-Enskog)", `${osmo.fmt(m.D_theory)} σ²/τ`),
      row("D measured", m.D_measured === null ? (m.partition === "removed" ? "waiting for the first mode to decay…" : "remove the partition") :
        `${osmo.fmt(m.D_measured)} σ²/τ (${osmo.fmt(m.D_measured / m.D_theory, 2)} × theory)`));
    if (m.D_measured !== null && m.time_since_removal !== undefined) room.history.push([m.time_since_removal, m.D_measured, m.D_theory]);
    if (room.history.length) {
      const x = room.history.map((h) => h[0]);
      series.push({ label: "D measured", x, y: room.history.map((h) => h[1]), color: "#1f77b4", points: false },
                  { label: "Chapman-Enskog", x, y: room.history.map((h) => h[2]), color: "#d62728", dashed: true, points: false });
    }
  } else if (scenario === "osmosis") {
    out.push(row("pressure on the membrane", `${osmo.fmt(m.osmotic_pressure_measured)} ε/σ²`),
      row("van 't Hoff n k T", `${osmo.fmt(m.osmotic_pressure_van_t_hoff)} ε/σ²`),
      row("with the second virial coefficient", `${osmo.fmt(m.osmotic_pressure_virial)} ε/σ²`),
      row("solvent left | right", `${m.solvent_left} | ${m.solvent_right}`),
      row("solute on its side", `${m.solute_right} of ${m.solute_total}`));
    if (m.osmotic_pressure_measured !== undefined) room.history.push([m.time, m.osmotic_pressure_measured, m.osmotic_pressure_van_t_hoff, m.osmotic_pressure_virial]);
    const x = room.history.map((h) => h[0]);
    series.push({ label: "measured Π", x, y: room.history.map((h) => h[1]), color: "#d62728", points: false },
                { label: "van 't Hoff", x, y: room.history.map((h) => h[2]), color: "#333", dashed: true, points: false },
                { label: "virial", x, y: room.history.map((h) => h[3]), color: "#2ca02c", dashed: true, points: false });
  } else if (scenario === "reverse_osmosis") {
    out.push(row("phase", m.phase), row("van 't Hoff Π", `${osmo.fmt(m.osmotic_pressure_van_t_hoff)} ε/σ²`),
      row("applied pressure", m.applied_pressure === undefined ? "—" : `${osmo.fmt(m.applied_pressure)} ε/σ² (${osmo.fmt(m.pressure_ratio, 1)} × Π)`));
    if (m.solvent_flux !== undefined) out.push(row("solvent flux", `${osmo.fmt(m.solvent_flux)} per σ·τ`), row("flow", m.flow));
    if (m.solvent_in_solution !== undefined) {
      out.push(row("solvent in the solution", m.solvent_in_solution));
      room.history.push([m.time, m.solvent_in_solution]);
      series.push({ label: "solvent particles in the solution", x: room.history.map((h) => h[0]), y: room.history.map((h) => h[1]), color: "#1f77b4", points: false });
    }
  } else if (scenario === "sieving") {
    out.push(row("pore diameter", `${osmo.fmt(m.pore_diameter)} water diameters`));
    for (const [name, f] of Object.entries(m.crossed_fraction)) out.push(row(`${name} past the membrane`, `${(100 * f).toFixed(0)} %`));
    room.history.push([m.time, m.crossed_fraction]);
    const colors = COLORS.sieving;
    Object.keys(m.crossed_fraction).forEach((name, i) => series.push({ label: name, x: room.history.map((h) => h[0]),
      y: room.history.map((h) => h[1][name]), color: colors[i % colors.length], points: false }));
  }
  $("stats").replaceChildren(...out);
  const chart = $("chart");
  chart.getContext("2d").clearRect(0, 0, chart.width, chart.height);
  if (series.length && series[0].x.length) linePlot(chart, series, { xlabel: "time (τ)", ymin: 0 });
}

function draw() {
  room.drawPending = false;
  const f = room.frame, setup = room.setup;
  if (!f || !setup) return;
  const canvas = $("sim");
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const [lx, ly] = setup.box;
  const height = Math.round(Math.min(width * ly / lx, Math.max(window.innerHeight - 190, 260)));
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio);
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const scale = Math.min((width - 8) / lx, (height - 8) / ly);
  const ox = (width - lx * scale) / 2, oy = (height - ly * scale) / 2;
  ctx.strokeStyle = "#888"; ctx.lineWidth = 1;
  ctx.strokeRect(ox, oy, lx * scale, ly * scale);
  const colors = COLORS[setup.scenario];
  const radii = setup.species.map((s) => Math.max(0.5 * s.diameter * scale, 1.2));
  for (let k = 0; k < setup.species.length; k++) {
    ctx.fillStyle = colors[k % colors.length];
    ctx.beginPath();
    const r = radii[k];
    for (let i = 0; i < f.n; i++) {
      if (f.species[i] !== k) continue;
      const x = ox + f.xy[2 * i] * scale, y = oy + (ly - f.xy[2 * i + 1]) * scale;
      ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
    ctx.fill();
  }
  setup.walls.forEach((w, k) => {
    const x = f.walls[k];
    if (!Number.isFinite(x)) return;
    const px = ox + x * scale;
    if (w.piston) {
      ctx.fillStyle = "#444";
      const thick = 6, side = w.kind === "lower" ? -1 : 1;
      ctx.fillRect(side < 0 ? px - thick : px, oy, thick, ly * scale);
    } else {
      ctx.strokeStyle = w.name === "membrane" ? "#2ca02c" : "#333";
      ctx.lineWidth = 3;
      ctx.setLineDash(w.name === "membrane" ? [6, 4] : []);
      ctx.beginPath(); ctx.moveTo(px, oy); ctx.lineTo(px, oy + ly * scale); ctx.stroke();
      ctx.setLineDash([]);
    }
  });
}

function updateControls() {
  const scenario = $("scenario").value;
  const c = CONCENTRATION[scenario];
  $("concentration-label").hidden = !c;
  if (c) {
    $("concentration").value = ((c[3] - c[1]) / (c[2] - c[1])).toFixed(2);
    $("concentration-label").firstChild.textContent = `${c[0]} `;
  }
  showConcentration();
  $("pressure-label").hidden = scenario !== "reverse_osmosis";
  $("pore-label").hidden = scenario !== "sieving";
  $("remove-partition").hidden = scenario !== "mixing";
}
function showConcentration() {
  const c = CONCENTRATION[$("scenario").value];
  if (c) $("concentration-value").textContent = (c[1] + (c[2] - c[1]) * parseFloat($("concentration").value)).toFixed(3);
}

document.addEventListener("DOMContentLoaded", () => {
  const initial = osmo.query("scenario");
  if (initial) $("scenario").value = initial;
  updateControls();
  $("scenario").addEventListener("change", () => { updateControls(); start(); });
  $("play").addEventListener("click", () => send({ type: "play" }));
  $("pause").addEventListener("click", () => send({ type: "pause" }));
  $("reset").addEventListener("click", () => start());
  $("remove-partition").addEventListener("click", () => send({ type: "remove_partition" }));
  $("particles").addEventListener("change", start);
  $("temperature").addEventListener("input", () => {
    $("temperature-value").textContent = $("temperature").value;
    send({ type: "set", temperature: parseFloat($("temperature").value) });
  });
  $("concentration").addEventListener("input", showConcentration);
  $("concentration").addEventListener("change", start);
  $("pressure").addEventListener("input", () => {
    $("pressure-value").textContent = $("pressure").value;
    send({ type: "set", pressure_ratio: parseFloat($("pressure").value) });
  });
  $("pore").addEventListener("input", () => { $("pore-value").textContent = $("pore").value; });
  $("pore").addEventListener("change", start);
  window.addEventListener("resize", () => requestAnimationFrame(draw));
  connect();
});
