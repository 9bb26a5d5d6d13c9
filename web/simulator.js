// "Simulateur de téléphone" (a demonstration, only where the server turns it on): a
// participant's phone — what the console channel sent her, a box for her replies (they
// enter through POST /webhooks/console like any gateway's) — and the demo clock, moved
// to the next planned message so that the whole programme plays in minutes.
import { api, query } from './api.js';
import { h, clear, field, select, announce, errorBox, dateTimeText, every } from './dom.js';
import { messageLog, showMessages, scrollToEnd } from './messages.js';

const QUICK_REPLIES = ['OUI', 'NON', '4', 'COACH', 'STOP'];
let chosen = null;  // the phone shown last, kept while the tab is open

export async function simulatorPage(ctx) {
  ctx.title('Simulateur de téléphone');
  let state;
  try {
    state = await api.get('/simulator/api/state', { auth: false, signal: ctx.signal });
  } catch (e) {
    if (e.status !== 404) throw e;
    ctx.container.append(h('p', { class: 'notice' }, 'Le simulateur n’est pas activé sur ce serveur : il sert aux démonstrations seulement.'));
    return;
  }
  // A coach sees her own cohorts' phones, as everywhere else in the dashboard.
  const mine = state.participants.filter((p) => ctx.me.admin || ctx.me.cohorts.includes(p.cohort));
  ctx.container.append(h('p', {}, 'Démonstration : ce téléphone montre ce que reçoit une participante, sans envoyer de vrai SMS. ',
    'Répondez à sa place, avancez l’horloge, et regardez le côté coach changer en même temps.'));
  if (mine.length === 0) {
    ctx.container.append(h('p', {}, 'Aucune participante dans vos groupes.'));
    return;
  }
  if (!mine.some((p) => p.phone === chosen)) chosen = mine[0].phone;
  const clock = h('p', { class: 'clock' });
  const showClock = (now) => { clock.textContent = `Heure de la démonstration : ${dateTimeText(now)}`; };
  showClock(state.now);
  const who = select('phone', mine.map((p) => [p.phone, `${p.first_name} (${p.cohort})${p.opted_out ? ' — a envoyé STOP' : ''}`]), chosen);
  const phoneArea = h('div');
  const advanceResult = h('p', { class: 'hint' });
  const advance = h('button', { type: 'button', class: 'button', id: 'avancer' }, 'Avancer l’horloge jusqu’au prochain message');
  ctx.container.append(
    h('div', { class: 'card simulator-controls' },
      field('Participante', who),
      clock,
      h('p', { class: 'actions' }, advance),
      advanceResult),
    phoneArea);

  let phone = showPhone(ctx, mine.find((p) => p.phone === chosen));
  phoneArea.append(phone.element);
  who.addEventListener('change', () => {
    chosen = who.value;
    phone = showPhone(ctx, mine.find((p) => p.phone === chosen));
    clear(phoneArea).append(phone.element);
    phone.refresh();
  });
  advance.addEventListener('click', async () => {
    advance.disabled = true;
    try {
      const r = await api.post('/simulator/api/advance', undefined, { auth: false, signal: ctx.signal });
      showClock(r.now);
      const moved = r.advanced_to ? `Horloge avancée au ${dateTimeText(r.advanced_to)}.` : 'Rien n’est prévu : l’horloge n’a pas bougé.';
      const next = r.next ? ` Prochain envoi prévu : ${dateTimeText(r.next)}.` : '';
      advanceResult.textContent = moved + next;
      announce(moved + next);
      await phone.refresh();
    } catch (e) {
      if (e.name !== 'AbortError') announce(e.message, 'error');
    } finally {
      advance.disabled = false;
    }
  });
  // Her messages, and the clock, while the page is open.
  every(2000, ctx.signal, async () => {
    try {
      await phone.refresh();
      showClock((await api.get('/simulator/api/state', { auth: false, signal: ctx.signal })).now);
    } catch (e) {
      if (e.name !== 'AbortError') announce(e.message, 'error');
    }
  });
}

function showPhone(ctx, p) {
  const log = messageLog(`Messages sur le téléphone de ${p.first_name}`, 'phone');
  const author = (m) => (m.direction === 'in' ? p.first_name : 'Relais');
  const path = `/simulator/api/messages${query({ phone: p.phone })}`;
  let first = true;
  const refresh = async () => {
    const { messages } = await api.get(path, { auth: false, signal: ctx.signal });
    showMessages(log, messages, author);
    scrollToEnd(log, first);
    first = false;
  };
  const input = h('input', { type: 'text', name: 'text', autocomplete: 'off', class: 'wide', maxlength: '1600' });
  const errors = h('div');
  const send = async (text) => {
    clear(errors);
    if (!text.trim()) {
      errors.append(errorBox('Écrivez sa réponse avant d’envoyer.'));
      input.focus();
      return;
    }
    try {
      const id = `sim-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;
      await api.post('/webhooks/console', { from: p.phone, text, id }, { auth: false, signal: ctx.signal });
      input.value = '';
      announce(`${p.first_name} a répondu : « ${text} ».`);
      await refresh();
      scrollToEnd(log, true);
    } catch (e) {
      if (e.name !== 'AbortError') errors.append(errorBox(e.message));
    }
  };
  const form = h('form', { class: 'phone-reply' },
    field(`Réponse de ${p.first_name}`, input),
    h('button', { type: 'submit', class: 'button' }, 'Envoyer'));
  form.addEventListener('submit', (e) => { e.preventDefault(); send(input.value); });
  const element = h('section', { class: 'phone', 'aria-labelledby': 'telephone' },
    h('h2', { id: 'telephone' }, `Le téléphone de ${p.first_name}`),
    h('p', { class: 'hint' }, p.phone, ' · ', h('a', { href: `#/participants/${p.id}/conversation` }, 'voir sa conversation côté coach')),
    log.element,
    form,
    h('div', { class: 'quick', role: 'group', 'aria-label': 'Réponses rapides' },
      QUICK_REPLIES.map((t) => h('button', { type: 'button', class: 'button secondary small', onclick: () => send(t) },
        h('span', { class: 'visually-hidden' }, 'Répondre '), t))),
    errors);
  return { element, refresh };
}
