// The growth run as an SVG: p50 latency against members, both axes logarithmic, one line per
// scenario, and a dotted guide of the goal's slope (3× per 10× of data) from each first point.
import type { GrowthPoint } from './growth.js';

const WIDTH = 640;
const HEIGHT = 400;
const MARGIN = { left: 64, right: 150, top: 28, bottom: 48 };
const COLOURS = ['#1b6ca8', '#d1495b', '#2e933c', '#8d5a97', '#e28413'];
const NAMES: Record<string, string> = {
  b1: 'b1 first page',
  b2: 'b2 deep page',
  c: 'c member by id',
  d: 'd 2025 report',
  g: 'g 48-month report',
};

const decades = (low: number, high: number) => {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(low)); e <= Math.ceil(Math.log10(high)); e += 1)
    out.push(10 ** e);
  return out;
};

export function growthSvg(points: readonly GrowthPoint[]): string {
  const members = points.map((p) => p.members);
  const ms = points.map((p) => Math.max(1, p.p50Ms));
  const xTicks = decades(Math.min(...members), Math.max(...members));
  const yTicks = decades(Math.min(...ms), Math.max(...ms) * 3);
  const [x0, x1] = [Math.log10(xTicks[0] ?? 1), Math.log10(xTicks.at(-1) ?? 10)];
  const [y0, y1] = [Math.log10(yTicks[0] ?? 1), Math.log10(yTicks.at(-1) ?? 10)];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (v: number) => MARGIN.left + ((Math.log10(v) - x0) / (x1 - x0 || 1)) * plotW;
  const y = (v: number) =>
    MARGIN.top + plotH - ((Math.log10(Math.max(1, v)) - y0) / (y1 - y0 || 1)) * plotH;
  const parts: string[] = [];
  for (const t of xTicks)
    parts.push(
      `<line x1="${x(t)}" y1="${MARGIN.top}" x2="${x(t)}" y2="${MARGIN.top + plotH}" stroke="#ddd"/>`,
      `<text x="${x(t)}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${t.toLocaleString('en')}</text>`,
    );
  for (const t of yTicks)
    parts.push(
      `<line x1="${MARGIN.left}" y1="${y(t)}" x2="${MARGIN.left + plotW}" y2="${y(t)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 8}" y="${y(t) + 4}" text-anchor="end">${t.toLocaleString('en')}</text>`,
    );
  const scenarios = [...new Set(points.map((p) => p.scenario))];
  scenarios.forEach((scenario, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const line = points
      .filter((p) => p.scenario === scenario)
      .sort((a, b) => a.members - b.members);
    const first = line[0];
    const last = line.at(-1);
    if (!first || !last) return;
    const coords = line.map((p) => `${x(p.members)},${y(p.p50Ms)}`).join(' ');
    const guide = first.p50Ms * 3 ** Math.log10(last.members / first.members);
    parts.push(
      `<line x1="${x(first.members)}" y1="${y(first.p50Ms)}" x2="${x(last.members)}" y2="${y(guide)}" stroke="${colour}" stroke-dasharray="2 4" opacity="0.6"/>`,
      `<polyline points="${coords}" fill="none" stroke="${colour}" stroke-width="2"/>`,
      ...line.map(
        (p) => `<circle cx="${x(p.members)}" cy="${y(p.p50Ms)}" r="3" fill="${colour}"/>`,
      ),
      `<text x="${WIDTH - MARGIN.right + 10}" y="${MARGIN.top + 16 + i * 18}" fill="${colour}">${NAMES[scenario] ?? scenario}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="11">
<title>jahiz growth: p50 latency (ms) against members, log-log; dotted: 3× per 10× of data</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="${MARGIN.left}" y="16" font-size="13">p50 ms against members (log-log); dotted: 3× per 10×</text>
${parts.join('\n')}
<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 8}" text-anchor="middle">members</text>
</svg>
`;
}
