// Tonicity and a red cell's fate: POST /api/cell gives the volume against time and the
// outcome; the canvas replays it (swelling, crenation or lysis).
"use strict";

const cellState = { result: null, started: 0, animation: null };

function $(id) { return document.getElementById(id); }

async function evaluate() {
  const body = { medium: $("medium").value, temperature: $("cell-temperature").value || 25, points: 120 };
  try {
    const r = await osmo.api("/api/cell", { body });
    cellState.result = r;
    const fates = { unchanged: "the cell keeps its volume", lyses: "the cell swells and lyses",
                    swells: "the cell swells", "shrinks (crenates)": "the cell shrinks (crenates)" };
    $("fate").textContent = `${r.tonicity}: ${fates[r.outcome] || `the cell ${r.outcome}`}`;
    $("fate").className = `fate ${r.lyses ? "error" : ""}`;
    const rows = [
      ["Tonicity", r.tonicity], ["Outcome", r.outcome],
      ["Effective osmolality", `${osmo.fmt(1000 * r.effective_osmolality_osmol_kg)} mOsm/kg`],
      ["Total osmolality", `${osmo.fmt(1000 * r.total_osmolality_osmol_kg)} mOsm/kg`],
      ["Final volume / isotonic", osmo.fmt(r.lyses ? r.max_volume_ratio : r.equilibrium_volume_ratio, 2)],
      ["Boyle-van 't Hoff volume", r.boyle_van_t_hoff_volume_ratio === null ? "—" : osmo.fmt(r.boyle_van_t_hoff_volume_ratio, 2)],
      ["Lysis at volume", osmo.fmt(r.critical_volume_ratio, 2)],
      [r.lyses ? "Time to lysis" : "Time to equilibrium", `${osmo.fmt(r.lyses ? r.time_to_lysis_s : r.time_to_equilibrium_s)} s`],
    ];
    $("cell-table").replaceChildren(...rows.map(([k, v]) => osmo.el("tr", {}, osmo.el("th", {}, k), osmo.el("td", { "data-key": k }, v))));
    $("cell-notes").textContent = (r.notes || []).join("; ");
    osmo.status("");
    replay();
  } catch (err) {
    osmo.status(err.message, true);
    $("fate").textContent = err.message;
    $("fate").className = "fate error";
  }
}

function replay() {
  cellState.started = performance.now();
  if (!cellState.animation) cellState.animation = requestAnimationFrame(frame);
}

const REPLAY_MS = 4000;

function frame(now) {
  cellState.animation = null;
  const r = cellState.result;
  if (!r) return;
  const progress = Math.min((now - cellState.started) / REPLAY_MS, 1);
  const times = r.time_s, volumes = r.volume_ratio;
  // replay the part where the volume changes: three times the time to equilibrium (or lysis)
  const settle = r.lyses ? r.time_to_lysis_s : r.time_to_equilibrium_s;
  const end = settle > 0 ? Math.min(times[times.length - 1], (r.lyses ? 1.05 : 3) * settle) : times[times.length - 1];
  const t = progress * end;
  let k = 0;
  while (k < times.length - 2 && times[k + 1] < t) k++;
  const span = times[k + 1] - times[k] || 1;
  const volume = volumes[k] + (volumes[k + 1] - volumes[k]) * Math.min(Math.max((t - times[k]) / span, 0), 1);
  drawCell(volume, r, progress >= 1 && r.lyses, t);
  if (progress < 1) cellState.animation = requestAnimationFrame(frame);
}

// A red cell seen from above: a biconcave disc (pale centre) that rounds up as it swells,
// grows spikes as it shrinks (crenation) and bursts into a ghost when it lyses.
function drawCell(volume, r, burst, t) {
  const canvas = $("cell");
  const ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, cx = w / 2, cy = h / 2 - 10;
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = "#fdf6f0"; ctx.fillRect(0, 0, w, h);
  const base = 80;
  const radius = base * Math.cbrt(volume);
  const swell = Math.max(0, Math.min((volume - 1) / (r.critical_volume_ratio - 1), 1));
  const shrink = Math.max(0, Math.min((1 - volume) / 0.45, 1));
  if (burst) {
    ctx.setLineDash([5, 6]); ctx.strokeStyle = "#c98b8b"; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.arc(cx, cy, radius, 0.3, 2 * Math.PI - 0.2); ctx.stroke(); ctx.setLineDash([]);
    ctx.fillStyle = "rgba(200, 30, 40, 0.5)";
    for (let i = 0; i < 160; i++) {
      const a = i * 2.399, d = radius * (0.2 + 1.3 * ((i * 37) % 100) / 100);
      ctx.beginPath(); ctx.arc(cx + d * Math.cos(a), cy + d * Math.sin(a), 2, 0, 2 * Math.PI); ctx.fill();
    }
  } else {
    const spikes = 18, depth = 9 * shrink;
    ctx.beginPath();
    for (let i = 0; i <= 360; i++) {
      const a = (i / 360) * 2 * Math.PI;
      const rr = radius + depth * Math.max(0, Math.cos(spikes * a)) ** 6;
      const x = cx + rr * Math.cos(a), y = cy + rr * Math.sin(a);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    }
    const grad = ctx.createRadialGradient(cx, cy, radius * 0.1, cx, cy, radius);
    const pale = 0.55 * (1 - swell);  // the pale centre fades as the disc rounds into a sphere
    grad.addColorStop(0, `rgba(${Math.round(200 + 50 * pale)}, ${Math.round(40 + 140 * pale)}, ${Math.round(50 + 130 * pale)}, 1)`);
    grad.addColorStop(0.6, "#c8283a");
    grad.addColorStop(1, "#9e1b2c");
    ctx.fillStyle = grad; ctx.fill();
    ctx.strokeStyle = "#7a1020"; ctx.lineWidth = 1.5; ctx.stroke();
  }
  ctx.fillStyle = "#333"; ctx.font = "14px system-ui, sans-serif"; ctx.textAlign = "center";
  ctx.fillText(burst ? "lysed: the membrane burst" : `volume ${volume.toFixed(2)} × isotonic   t = ${t.toFixed(2)} s`, cx, h - 18);
}

document.addEventListener("DOMContentLoaded", () => {
  $("medium").addEventListener("input", osmo.debounce(evaluate, 250));
  $("cell-temperature").addEventListener("input", osmo.debounce(evaluate, 250));
  for (const b of document.querySelectorAll("#presets button")) {
    b.addEventListener("click", () => { $("medium").value = b.dataset.medium; evaluate(); });
  }
  $("replay").addEventListener("click", replay);
  evaluate();
});
