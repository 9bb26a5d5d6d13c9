// Small helpers to build the page with DOM calls (the Content Security Policy forbids
// inline scripts and style attributes, and building nodes never interprets text as HTML),
// and the French formats of dates, amounts and rates.

// h('p', {class: 'x'}, 'text', child…): an element. Attributes set with setAttribute;
// `on*` functions become listeners; false/null attributes and children are skipped.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttributes(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

// The same for SVG elements (charts).
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttributes(el, attrs);
  append(el, children);
  return el;
}

function setAttributes(el, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === false || child === null || child === undefined) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

// el.append(…) that skips false/null children, like h().
export function add(el, ...children) {
  append(el, children);
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

let uid = 0;
// A fresh id for label/aria links.
export function newId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

// A labelled form field: the <label>, the control and an optional hint tied by
// aria-describedby. `control` is an element without an id (one is given).
export function field(labelText, control, hint) {
  const id = control.id || newId('champ');
  control.id = id;
  const parts = [h('label', { for: id }, labelText)];
  if (hint) {
    const hintId = `${id}-aide`;
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('p', { class: 'hint', id: hintId }, hint));
  }
  return h('div', { class: 'field' }, parts, control);
}

export function select(name, options, selected) {
  return h('select', { name }, options.map(([value, label]) =>
    h('option', { value, selected: value === selected }, label)));
}

let announcedAt = 0;

// A message in the page's live region (visible, read by screen readers).
export function announce(text, kind = 'info') {
  const status = document.getElementById('status');
  if (!status) return;
  status.className = `status-bar ${kind}`;
  status.textContent = text;
  announcedAt = Date.now();
}

// On a new page, an old message goes; one said just before (what led here) stays.
export function clearOldAnnouncement() {
  if (Date.now() - announcedAt > 2000) announce('');
}

// An error block shown where the action happened (role alert: read at once).
export function errorBox(message) {
  return h('div', { class: 'notice error', role: 'alert' }, message);
}

// A table's wrapper: scrolls sideways on a phone and can be reached with the keyboard.
export function scrollable(table, label) {
  return h('div', { class: 'table-scroll', role: 'region', 'aria-label': label, tabindex: '0' }, table);
}

// A simple table: caption, column headers, and rows whose first cell is a row header.
export function table(caption, headers, rows, { firstIsHeader = true } = {}) {
  return h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c, i) =>
      (i === 0 && firstIsHeader ? h('th', { scope: 'row' }, c) : h('td', {}, c)))))));
}

// --- Dates ---------------------------------------------------------------------------
// The API writes times in the programme's zone with their offset
// ("2026-12-01T14:00:00.000+01:00"): the local date and hour are read as written, so the
// page shows the programme's time whatever the browser's zone.

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/;

export function localParts(text) {
  const m = LOCAL.exec(text || '');
  if (!m) return null;
  const [y, mo, d, hh, mm] = m.slice(1).map(Number);
  return { y, mo, d, hh, mm, day: new Date(Date.UTC(y, mo - 1, d)) };
}

const dayFormat = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
const dayYearFormat = new Intl.DateTimeFormat('fr-FR',
  { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const shortFormat = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', timeZone: 'UTC' });

function hourText(p) {
  return `${p.hh}h${String(p.mm).padStart(2, '0')}`;
}

// "mardi 1 décembre 2026 à 14h00"
export function dateTimeText(text, { year = true } = {}) {
  const p = localParts(text);
  if (!p) return '—';
  return `${(year ? dayYearFormat : dayFormat).format(p.day)} à ${hourText(p)}`;
}

// "1 déc., 14h00": for tables and bubbles.
export function shortDateTime(text) {
  const p = localParts(text);
  return p ? `${shortFormat.format(p.day)}, ${hourText(p)}` : '—';
}

export function dayText(date, { year = true } = {}) {
  return (year ? dayYearFormat : dayFormat).format(date);
}

// A session's time: "mardi 1 décembre 2026, 14h00 – 16h00".
export function rangeText(start, end) {
  const a = localParts(start);
  const b = localParts(end);
  if (!a) return '—';
  const first = `${dayYearFormat.format(a.day)}, ${hourText(a)}`;
  if (!b) return first;
  const sameDay = a.y === b.y && a.mo === b.mo && a.d === b.d;
  return sameDay ? `${first} – ${hourText(b)}` : `${first} – ${dateTimeText(end)}`;
}

// The value of a datetime-local input ("2026-12-01T14:00") for an API time.
export function inputValue(text) {
  const m = LOCAL.exec(text || '');
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}` : '';
}

// Monday of the week holding `date` (a UTC-midnight Date standing for a local day).
export function mondayOf(date) {
  const monday = new Date(date);
  monday.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return monday;
}

export function addDays(date, n) {
  const d = new Date(date);
  d.setUTCDate(d.getUTCDate() + n);
  return d;
}

// "2026-12-01" for a UTC-midnight Date.
export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

// Today in the browser's calendar, as a UTC-midnight Date.
export function today() {
  const now = new Date();
  return new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
}

// --- Numbers -------------------------------------------------------------------------

const euroFormat = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2 });
const percentFormat = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 });
const numberFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

export const euros = (n) => euroFormat.format(n || 0);
export const percent = (rate) => (rate === null || rate === undefined ? 'pas encore de données' : percentFormat.format(rate));
export const number = (n) => (n === null || n === undefined ? '—' : numberFormat.format(n));

// "3 participantes", "1 participante"
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

// A modal question (native <dialog>: focus kept inside, Escape cancels). Resolves true
// when the coach confirms.
export function confirmDialog({ title, text, confirm, cancel = 'Annuler', danger = false }) {
  return new Promise((resolve) => {
    const titleId = newId('dialogue-titre');
    const textId = newId('dialogue-texte');
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': textId },
      h('h2', { id: titleId }, title),
      h('div', { id: textId }, [text].flat().map((t) => h('p', {}, t))),
      h('form', { method: 'dialog', class: 'actions' },
        h('button', { type: 'submit', value: 'no', class: 'button secondary', autofocus: true }, cancel),
        h('button', { type: 'submit', value: 'yes', class: danger ? 'button danger' : 'button' }, confirm)));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'yes');
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

// Runs `task` now and then every `ms` until `signal` aborts; a task still running is not
// started twice.
export function every(ms, signal, task) {
  let busy = false;
  const run = async () => {
    if (busy || signal.aborted) return;
    busy = true;
    try { await task(); } finally { busy = false; }
  };
  const timer = setInterval(run, ms);
  signal.addEventListener('abort', () => clearInterval(timer));
  return run();
}
