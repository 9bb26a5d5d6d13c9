// Charts drawn as inline SVG with DOM calls (no library, nothing fetched). Each chart is
// a <figure>: the SVG is an image named by its <title> and <desc>, and the same figures
// follow as a table, for screen readers and for whoever prefers numbers.
import { h, s, newId, table, scrollable, number } from './dom.js';

const WIDTH = 400;         // the viewBox's width: text stays readable on a 360 px screen
const LABEL_W = 128;       // room for row labels on the left
const BAR_X = LABEL_W + 6;
const BAR_W = WIDTH - BAR_X - 44;  // room for the value on the right
const FONT = 13;

export const COLORS = { blue: '#0b5394', green: '#1b6e3a', red: '#b3261e', amber: '#7a5200', grey: '#595959', track: '#e8e8e8' };

function svgImage(titleText, descText, height, children) {
  const titleId = newId('graphique-titre');
  const descId = newId('graphique-desc');
  return s('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`,
                    class: 'chart', 'font-size': FONT, 'font-family': 'inherit', preserveAspectRatio: 'xMinYMin meet' },
    s('title', { id: titleId }, titleText),
    s('desc', { id: descId }, descText),
    children);
}

const text = (x, y, content, attrs = {}) => s('text', { x, y, fill: '#1a1a1a', ...attrs }, content);

function legend(series, y = 14) {
  let x = 0;
  return series.map((serie) => {
    const item = s('g', {}, s('rect', { x, y: y - 10, width: 12, height: 12, fill: serie.color }), text(x + 16, y, serie.label));
    x += 24 + serie.label.length * 7.2;
    return item;
  });
}

function emptyNote(y, message) {
  return text(WIDTH / 2, y, message, { 'text-anchor': 'middle', fill: COLORS.grey });
}

// The figure: caption, image, and the table in a disclosure.
export function figure(caption, image, tableCaption, headers, rows) {
  return h('figure', { class: 'card chart-figure' },
    h('figcaption', {}, caption),
    image,
    h('details', {}, h('summary', {}, 'Voir les chiffres en tableau'),
      scrollable(table(tableCaption, headers, rows), tableCaption)));
}

// Horizontal bars, one row per item: `stacked` (parts of a whole, side by side) or
// grouped (one bar per series, under each other).
export function horizontalBars({ title, desc, rows, series, stacked, empty = 'Aucune donnée pour l’instant' }) {
  const rowH = stacked ? 30 : series.length * 16 + 12;
  const top = 28;
  const total = (row) => series.reduce((sum, serie) => sum + (row.values[serie.key] || 0), 0);
  const max = Math.max(1, ...rows.map((row) => (stacked ? total(row) : Math.max(...series.map((x) => row.values[x.key] || 0)))));
  const scale = (v) => (v / max) * BAR_W;
  const height = top + Math.max(1, rows.length) * rowH + 8;
  const items = [legend(series)];
  if (rows.length === 0 || rows.every((row) => total(row) === 0)) items.push(emptyNote(top + 20, empty));
  rows.forEach((row, i) => {
    const y = top + i * rowH;
    items.push(text(LABEL_W, y + rowH / 2 + 4, row.label, { 'text-anchor': 'end' }));
    let x = BAR_X;
    series.forEach((serie, j) => {
      const v = row.values[serie.key] || 0;
      const w = scale(v);
      if (stacked) {
        if (w > 0) items.push(s('rect', { x, y: y + 6, width: w, height: rowH - 12, fill: serie.color, stroke: '#fff', 'stroke-width': 1 }));
        x += w;
      } else {
        const by = y + 6 + j * 16;
        items.push(s('rect', { x: BAR_X, y: by, width: Math.max(w, 0.5), height: 13, fill: serie.color }),
          text(BAR_X + w + 4, by + 11, number(v), { 'font-size': 11 }));
      }
    });
    if (stacked) items.push(text(x + 4, y + rowH / 2 + 4, number(total(row))));
  });
  return svgImage(title, desc, height, items);
}

// Vertical columns (the spread of marks 1 to 5).
export function columns({ title, desc, bars, color = COLORS.blue, empty = 'Aucune donnée pour l’instant' }) {
  const height = 200;
  const base = 170;
  const top = 20;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const step = (WIDTH - 40) / bars.length;
  const items = [s('line', { x1: 20, x2: WIDTH - 20, y1: base, y2: base, stroke: COLORS.grey })];
  if (bars.every((b) => !b.value)) items.push(emptyNote(base / 2, empty));
  bars.forEach((b, i) => {
    const hgt = ((base - top) * b.value) / max;
    const x = 20 + i * step + step * 0.2;
    items.push(s('rect', { x, y: base - hgt, width: step * 0.6, height: hgt, fill: color }),
      text(x + step * 0.3, base - hgt - 4, number(b.value), { 'text-anchor': 'middle' }),
      text(x + step * 0.3, base + 18, b.label, { 'text-anchor': 'middle' }));
  });
  return svgImage(title, desc, height, items);
}

// A line over time (the weekly mean mark), on a fixed scale `min`…`max`.
export function line({ title, desc, points, min, max, color = COLORS.blue, empty = 'Aucune donnée pour l’instant' }) {
  const height = 210;
  const left = 34;
  const right = WIDTH - 16;
  const top = 16;
  const base = 170;
  const y = (v) => base - ((v - min) / (max - min)) * (base - top);
  const items = [];
  for (let v = min; v <= max; v += 1) {
    items.push(s('line', { x1: left, x2: right, y1: y(v), y2: y(v), stroke: COLORS.track }),
      text(left - 8, y(v) + 4, String(v), { 'text-anchor': 'end' }));
  }
  const known = points.filter((p) => p.value !== null && p.value !== undefined);
  if (known.length === 0) {
    items.push(emptyNote((top + base) / 2, empty));
    return svgImage(title, desc, height, items);
  }
  const step = known.length > 1 ? (right - left - 20) / (known.length - 1) : 0;
  const x = (i) => left + 10 + i * step;
  items.push(s('polyline', { points: known.map((p, i) => `${x(i)},${y(p.value)}`).join(' '), fill: 'none', stroke: color,
                             'stroke-width': 2.5 }));
  known.forEach((p, i) => {
    items.push(s('circle', { cx: x(i), cy: y(p.value), r: 4, fill: color }),
      text(x(i), y(p.value) - 8, number(p.value), { 'text-anchor': 'middle', 'font-size': 11 }));
    if (known.length <= 8 || i % Math.ceil(known.length / 8) === 0)
      items.push(text(x(i), base + 18, p.label, { 'text-anchor': 'middle', 'font-size': 11 }));
  });
  return svgImage(title, desc, height, items);
}

// One bar filled to `used` (0…1 or more): the budget.
export function gauge({ title, desc, used, label, color = COLORS.blue }) {
  const share = Math.max(0, Math.min(1, used || 0));
  return svgImage(title, desc, 64, [
    s('rect', { x: 0, y: 6, width: WIDTH, height: 24, fill: COLORS.track, stroke: COLORS.grey }),
    s('rect', { x: 0, y: 6, width: Math.max(share * WIDTH, share > 0 ? 2 : 0), height: 24, fill: used > 1 ? COLORS.red : color }),
    text(0, 52, label),
  ]);
}
