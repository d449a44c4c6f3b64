// The growth figures as one small SVG (no plotting dependency): a column per series (peer units, related
// apps, databag size), hook-tool calls above and the charm's median CPU (whiskers: min to max) below, a
// line per event.
import type { GrowthPoint } from "./growth.ts";

const W = 250, H = 150, PAD = { left: 44, right: 12, top: 26, bottom: 30 };
const COLORS = ["#1f6fb2", "#d2691e"];

interface Line { event: string; points: Array<{ x: string; y: number; low?: number; high?: number }> }

export function growthSvg(points: GrowthPoint[], floorCpuMs: number): string {
  const seriesNames = [...new Set(points.map((p) => p.series))];
  const charts: string[] = [];
  seriesNames.forEach((series, column) => {
    const ofSeries = points.filter((p) => p.series === series);
    const events = [...new Set(ofSeries.map((p) => p.event))];
    const lines = (pick: (p: GrowthPoint) => Line["points"][number]): Line[] =>
      events.map((event) => ({ event, points: ofSeries.filter((p) => p.event === event).map(pick) }));
    charts.push(chart(column * W, 0, `hook-tool calls by ${series}`, lines((p) => ({ x: String(p.size), y: p.figures.hookToolCalls.median }))));
    charts.push(chart(column * W, H, `charm CPU ms by ${series}`, lines((p) => ({ x: String(p.size), y: p.figures.cpuMs.median, low: p.figures.cpuMs.min, high: p.figures.cpuMs.max })), floorCpuMs * 3));
    charts.push(legend(column * W, 2 * H, events));
  });
  const width = seriesNames.length * W, height = 2 * H + 14 * 2 + 8;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="10">\n`
    + `<rect width="${width}" height="${height}" fill="white"/>\n${charts.join("\n")}\n</svg>\n`;
}

/** One chart; `limit` draws a dashed line (3 × the floor) and keeps it in range. */
function chart(x0: number, y0: number, title: string, lines: Line[], limit?: number): string {
  const xs = lines[0]?.points.map((p) => p.x) ?? [];
  const top = Math.max(1, limit ?? 0, ...lines.flatMap((l) => l.points.map((p) => p.high ?? p.y))) * 1.1;
  const plotW = W - PAD.left - PAD.right, plotH = H - PAD.top - PAD.bottom;
  const inset = 14; // the first and last points stay clear of the axes
  const px = (i: number) => Math.round(x0 + PAD.left + inset + (xs.length === 1 ? (plotW - 2 * inset) / 2 : (i * (plotW - 2 * inset)) / (xs.length - 1)));
  const py = (v: number) => Math.round(y0 + PAD.top + plotH - (v / top) * plotH);
  const out = [`<text x="${x0 + PAD.left}" y="${y0 + 14}" font-weight="bold">${title}</text>`];
  out.push(`<line x1="${x0 + PAD.left}" y1="${py(0)}" x2="${x0 + W - PAD.right}" y2="${py(0)}" stroke="#888"/>`);
  out.push(`<line x1="${x0 + PAD.left}" y1="${py(0)}" x2="${x0 + PAD.left}" y2="${py(top)}" stroke="#888"/>`);
  for (const tick of [0, top / 2, top / 1.1]) {
    out.push(`<text x="${x0 + PAD.left - 4}" y="${py(tick) + 3}" text-anchor="end">${Math.round(tick)}</text>`);
  }
  xs.forEach((label, i) => out.push(`<text x="${px(i)}" y="${py(0) + 14}" text-anchor="middle">${label}</text>`));
  if (limit !== undefined) {
    out.push(`<line x1="${x0 + PAD.left}" y1="${py(limit)}" x2="${x0 + W - PAD.right}" y2="${py(limit)}" stroke="#c00" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${x0 + W - PAD.right}" y="${py(limit) - 3}" text-anchor="end" fill="#c00">3 × node -e 0</text>`);
  }
  lines.forEach((line, n) => {
    const color = COLORS[n % COLORS.length]!;
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${line.points.map((p, i) => `${px(i)},${py(p.y)}`).join(" ")}"/>`);
    line.points.forEach((p, i) => {
      if (p.low !== undefined && p.high !== undefined) out.push(`<line x1="${px(i)}" y1="${py(p.low)}" x2="${px(i)}" y2="${py(p.high)}" stroke="${color}"/>`);
      out.push(`<circle cx="${px(i)}" cy="${py(p.y)}" r="2.5" fill="${color}"/>`);
    });
  });
  return out.join("\n");
}

function legend(x0: number, y0: number, events: string[]): string {
  return events.map((event, n) => {
    const y = y0 + 10 + n * 14;
    return `<rect x="${x0 + PAD.left}" y="${y - 7}" width="10" height="3" fill="${COLORS[n % COLORS.length]}"/><text x="${x0 + PAD.left + 14}" y="${y}">${event}</text>`;
  }).join("\n");
}
