// Message bubbles, shared by the conversation view (the coach's side) and the phone
// simulator (her side). The list is updated in place: new messages are appended and
// statuses change, so that a screen reader's log announces only what is new.
import { h, shortDateTime } from './dom.js';
import { messageKindLabel, messageStatusLabel } from './labels.js';

// `side`: 'coach' (her messages on the left) or 'phone' (her messages on the right).
export function messageLog(label, side) {
  const list = h('ol', { class: `bubbles side-${side}` });
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': label, tabindex: '0' }, list);
  return { element: log, list, side, shown: new Map() };
}

const keyOf = (m) => `${m.direction}-${m.id}`;

function meta(m) {
  const parts = [shortDateTime(m.at)];
  if (m.direction === 'out') {
    if (m.kind) parts.push(messageKindLabel(m.kind));
    if (m.status) parts.push(messageStatusLabel(m.status));
  }
  return parts.join(' · ');
}

// `author(m)`: who wrote it, as the reader sees it.
export function showMessages(log, messages, author) {
  const keys = new Set(messages.map(keyOf));
  // An erasure empties the conversation: start again rather than keep stale bubbles.
  if ([...log.shown.keys()].some((k) => !keys.has(k))) {
    log.list.replaceChildren();
    log.shown.clear();
  }
  for (const m of messages) {
    const key = keyOf(m);
    const known = log.shown.get(key);
    if (known) {
      known.querySelector('.meta').textContent = meta(m);
      continue;
    }
    const mine = (m.direction === 'in') === (log.side === 'phone');
    const item = h('li', { class: `bubble ${mine ? 'right' : 'left'} ${m.direction}`, 'data-direction': m.direction,
                           'data-kind': m.kind ?? '', 'data-id': m.id },
      h('p', { class: 'author' }, author(m)),
      h('p', { class: 'text' }, m.text || '(texte effacé)'),
      h('p', { class: 'meta' }, meta(m)));
    log.list.append(item);
    log.shown.set(key, item);
  }
  if (messages.length === 0 && !log.list.querySelector('.empty'))
    log.list.append(h('li', { class: 'empty' }, 'Aucun message pour l’instant.'));
  else if (messages.length) log.list.querySelector('.empty')?.remove();
}

// Keeps the newest message in view when the reader was already at the bottom.
export function scrollToEnd(log, force = false) {
  const el = log.element;
  if (force || el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
}

// How many SMS a text takes, roughly: GSM-7 holds 160 characters (153 per part when
// cut), anything else 70 (67). The server's preview gives the exact count.
const GSM = /^[A-Za-z0-9 \r\n@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà^{}\\[~\]|€]*$/;

// Relais itself writes the accented letters GSM-7 lacks without their accent (ê → e,
// À → A), curly quotes and dashes plain, when that keeps the SMS in GSM-7 (bot/core/sms.cpp).
const PLAIN = { '’': "'", '‘': "'", '«': '"', '»': '"', '“': '"', '”': '"', '–': '-', '—': '-', '…': '...',
                '\u00a0': ' ', '\u202f': ' ', œ: 'oe', Œ: 'OE' };

function plain(c) {
  if (GSM.test(c)) return c;
  if (PLAIN[c]) return PLAIN[c];
  const bare = c.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return GSM.test(bare) ? bare : c;
}

function smsEstimate(raw) {
  const text = [...raw].map(plain).join('');
  const gsm = GSM.test(text);
  const [one, part] = gsm ? [160, 153] : [70, 67];
  const length = [...text].length;
  const segments = length === 0 ? 0 : length <= one ? 1 : Math.ceil(length / part);
  return { length, segments, gsm };
}

// A textarea's counter: "42 caractères, environ 1 SMS".
export function counter(textarea) {
  const out = h('p', { class: 'hint', 'aria-live': 'off' });
  const update = () => {
    const e = smsEstimate(textarea.value);
    out.textContent = `${e.length} caractère${e.length > 1 ? 's' : ''}, environ ${e.segments} SMS${
      e.gsm ? '' : ' (accents rares ou emoji : 70 caractères par SMS)'}`;
  };
  textarea.addEventListener('input', update);
  update();
  return out;
}
