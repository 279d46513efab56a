// Small line plots on a <canvas>: series of (x, y) points, axes with round ticks, a legend.
"use strict";

function niceTicks(lo, hi, count) {
  if (!(hi > lo)) { hi = lo + 1; lo = lo - 1; }
  const raw = (hi - lo) / Math.max(count, 1);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(+t.toPrecision(12));
  return ticks;
}

// series: [{label, x: [], y: [], color, dashed, points}]; opts: {xlabel, ylabel, separators: [x...], ymin}
function linePlot(canvas, series, opts = {}) {
  const ctx = canvas.getContext("2d");
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width, height = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(width * ratio)) { canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio); }
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const pad = { left: 52, right: 10, top: 22, bottom: 34 };
  const xs = series.flatMap((s) => s.x), ys = series.flatMap((s) => s.y).filter((v) => isFinite(v));
  if (!xs.length || !ys.length) return;
  let xlo = Math.min(...xs), xhi = Math.max(...xs);
  let ylo = opts.ymin !== undefined ? Math.min(opts.ymin, ...ys) : Math.min(...ys), yhi = Math.max(...ys);
  if (xhi === xlo) { xlo -= 0.5; xhi += 0.5; }
  if (yhi === ylo) { const d = Math.abs(yhi) * 0.1 || 1; ylo -= d; yhi += d; }
  const margin = (yhi - ylo) * 0.08; yhi += margin; if (opts.ymin === undefined) ylo -= margin;
  const yt = niceTicks(ylo, yhi, 4);
  const step = yt.length > 1 ? yt[1] - yt[0] : 1;
  const decimals = Math.max(0, Math.min(4, -Math.floor(Math.log10(step) + 1e-9)));
  const tickText = (t) => (Math.abs(t) >= 10000 ? Math.round(t).toLocaleString("en") : t.toFixed(decimals));
  ylo = Math.min(ylo, yt[0]); yhi = Math.max(yhi, yt[yt.length - 1]);
  const X = (v) => pad.left + (v - xlo) / (xhi - xlo) * (width - pad.left - pad.right);
  const Y = (v) => height - pad.bottom - (v - ylo) / (yhi - ylo) * (height - pad.top - pad.bottom);
  ctx.font = "11px system-ui, sans-serif";
  ctx.strokeStyle = "#ddd"; ctx.fillStyle = "#555"; ctx.lineWidth = 1;
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  for (const t of yt) {
    ctx.beginPath(); ctx.moveTo(pad.left, Y(t)); ctx.lineTo(width - pad.right, Y(t)); ctx.stroke();
    ctx.fillText(tickText(t), pad.left - 4, Y(t));
  }
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  for (const t of niceTicks(xlo, xhi, Math.min(8, Math.ceil(xhi - xlo)))) {
    if (Number.isInteger(t)) ctx.fillText(String(t), X(t), height - pad.bottom + 4);
  }
  if (opts.xlabel) ctx.fillText(opts.xlabel, (pad.left + width - pad.right) / 2, height - 14);
  ctx.strokeStyle = "#999"; ctx.setLineDash([3, 3]);
  for (const s of opts.separators || []) { ctx.beginPath(); ctx.moveTo(X(s), pad.top); ctx.lineTo(X(s), height - pad.bottom); ctx.stroke(); }
  ctx.setLineDash([]);
  let legendX = pad.left + 4;
  ctx.font = "10px system-ui, sans-serif";
  for (const s of series) {
    ctx.strokeStyle = s.color || "#1f77b4"; ctx.fillStyle = ctx.strokeStyle; ctx.lineWidth = 2;
    ctx.setLineDash(s.dashed ? [6, 4] : []);
    ctx.beginPath();
    s.x.forEach((x, i) => { const p = [X(x), Y(s.y[i])]; if (i === 0 || s.breaks?.includes(i)) ctx.moveTo(...p); else ctx.lineTo(...p); });
    ctx.stroke(); ctx.setLineDash([]);
    if (s.points !== false) s.x.forEach((x, i) => { ctx.beginPath(); ctx.arc(X(x), Y(s.y[i]), 2.5, 0, 2 * Math.PI); ctx.fill(); });
    ctx.textAlign = "left"; ctx.textBaseline = "middle";
    ctx.fillRect(legendX, 9, 14, 3);
    ctx.fillStyle = "#333"; ctx.fillText(s.label, legendX + 18, 10);
    legendX += 26 + ctx.measureText(s.label).width;
  }
}
window.linePlot = linePlot;
