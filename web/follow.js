// "Alertes" (read, acknowledge) and "Retours d'atelier" (the answers participants gave).
import { api, query } from './api.js';
import { h, add, clear, field, select, announce, errorBox, table, scrollable, shortDateTime, dateTimeText, plural } from './dom.js';
import { alertTitle, alertMeaning, alertAdvice, alertStateLabel, alertDetail, dialogLabel, questionLabel,
         answerLabel } from './labels.js';

// First names by id, for lists that give ids only.
async function namesById(ctx) {
  const names = new Map();
  let after;
  do {
    const page = await api.get(`/api/participants${query({ limit: 500, after })}`, { signal: ctx.signal });
    for (const p of page.participants) names.set(p.id, p.first_name);
    after = page.next_after;
  } while (after);
  return names;
}

function who(names, id) {
  if (id === null || id === undefined) return 'Personne de la liste';
  return h('a', { href: `#/participants/${id}` }, names.get(id) ?? `participante n° ${id}`);
}

// --- Alerts ------------------------------------------------------------------------------

const STATES = [['unread', 'Non lues'], ['read', 'Lues, pas encore traitées'], ['acknowledged', 'Traitées'], ['', 'Toutes']];
let shownState = 'unread';

export async function alertsPage(ctx) {
  ctx.title('Alertes');
  const state = select('state', STATES, shownState);
  const list = h('div');
  const form = h('form', { class: 'filters card', 'aria-label': 'Choisir les alertes' },
    h('div', { class: 'row' }, field('Alertes à afficher', state)),
    h('button', { type: 'submit', class: 'button secondary' }, 'Afficher'));
  ctx.container.append(
    h('p', {}, 'Une alerte dit : « cette participante a besoin de vous ». Marquez-la lue, puis traitée quand vous avez fait le nécessaire.'),
    form, list);
  const names = await namesById(ctx);
  const load = async () => {
    shownState = state.value;
    list.setAttribute('aria-busy', 'true');
    try {
      const { alerts } = await api.get(`/api/alerts${query({ state: shownState })}`, { signal: ctx.signal });
      showAlerts(ctx, list, alerts, names);
    } catch (e) {
      if (e.name !== 'AbortError') list.replaceChildren(errorBox(e.message));
    } finally {
      list.removeAttribute('aria-busy');
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  state.addEventListener('change', load);
  await load();
}

function showAlerts(ctx, list, alerts, names) {
  const label = STATES.find(([id]) => id === shownState)[1].toLowerCase();
  clear(list).append(h('h2', {}, `${plural(alerts.length, 'alerte')} (${label})`));
  if (alerts.length === 0) list.append(h('p', {}, 'Rien à afficher.'));
  list.append(h('ul', { class: 'alerts' }, alerts.map((a) => h('li', {}, alertCard(ctx, a, names)))));
}

function alertCard(ctx, a, names) {
  const card = h('article', { class: `card alert ${a.state}`, 'data-alert': a.id });
  const fill = (alert) => {
    const buttons = [];
    if (alert.state === 'unread') buttons.push(['read', 'Marquer comme lue']);
    if (alert.state !== 'acknowledged') buttons.push(['acknowledged', 'Marquer comme traitée']);
    add(clear(card),
      h('h3', {}, alertTitle(alert.kind), ' ', h('span', { class: `tag state-${alert.state}` }, alertStateLabel(alert.state))),
      h('p', {}, who(names, alert.participant_id), alert.cohort ? ` — groupe ${alert.cohort}` : '', ` — ${dateTimeText(alert.created_at)}`),
      alertMeaning(alert.kind) ? h('p', {}, alertMeaning(alert.kind)) : null,
      alertAdvice(alert.kind) ? h('p', {}, h('strong', {}, 'Que faire : '), alertAdvice(alert.kind)) : null,
      alert.detail ? h('p', { class: 'hint' }, alertDetail(alert.detail)) : null,
      alert.handled_by ? h('p', { class: 'hint' }, `${alertStateLabel(alert.state)[0].toUpperCase()}${alertStateLabel(alert.state).slice(1)} par ${alert.handled_by}, ${shortDateTime(alert.handled_at)}`) : null,
      buttons.length ? h('p', { class: 'actions' }, buttons.map(([to, text]) => h('button', {
        type: 'button', class: 'button secondary',
        onclick: () => setState(ctx, alert, to, fill, card),
      }, text))) : null);
  };
  fill(a);
  return card;
}

async function setState(ctx, alert, to, fill, card) {
  try {
    const updated = await api.patch(`/api/alerts/${alert.id}`, { state: to }, { signal: ctx.signal });
    fill(updated);
    announce(`Alerte « ${alertTitle(updated.kind)} » ${alertStateLabel(updated.state)}.`, 'success');
    (card.querySelector('button') ?? card.querySelector('h3')).focus();
  } catch (e) {
    if (e.name !== 'AbortError') announce(e.message, 'error');
  }
}

// --- Check-in answers ------------------------------------------------------------------

const DIALOG_CHOICES = [['checkin', "Retours d'atelier"], ['meteo', 'Météo de la semaine'], ['attendance', 'Présence annoncée'],
  ['end_of_programme', 'Fin de parcours'], ['', 'Toutes les réponses']];
let shownDialog = 'checkin';

export async function checkinsPage(ctx) {
  ctx.title("Retours d'atelier");
  const dialog = select('dialog', DIALOG_CHOICES, shownDialog);
  const results = h('div');
  const form = h('form', { class: 'filters card', 'aria-label': 'Choisir les réponses' },
    h('div', { class: 'row' }, field('Réponses à afficher', dialog)),
    h('button', { type: 'submit', class: 'button secondary' }, 'Afficher'));
  ctx.container.append(
    h('p', {}, 'Ce que les participantes ont répondu après les ateliers (une note de 1 à 5, ce qui a aidé, une difficulté). Ces réponses sont personnelles : ne les copiez pas hors du parcours.'),
    form, results);
  const names = await namesById(ctx);
  const sessions = new Map();
  const load = async () => {
    shownDialog = dialog.value;
    try {
      // An empty dialog asks for every dialog's answers: it is sent, not left out.
      const { answers } = await api.get(`/api/checkins?dialog=${encodeURIComponent(shownDialog)}`, { signal: ctx.signal });
      await Promise.all([...new Set(answers.map((a) => a.session_id).filter((id) => id && !sessions.has(id)))]
        .map(async (id) => sessions.set(id, await api.get(`/api/sessions/${id}`, { signal: ctx.signal }).catch(() => null))));
      showAnswers(results, answers, names, sessions);
    } catch (e) {
      if (e.name !== 'AbortError') results.replaceChildren(errorBox(e.message));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  dialog.addEventListener('change', load);
  await load();
}

function showAnswers(results, answers, names, sessions) {
  clear(results).append(h('h2', {}, plural(answers.length, 'réponse')));
  if (answers.length === 0) {
    results.append(h('p', {}, 'Aucune réponse pour l’instant.'));
    return;
  }
  const sessionText = (id) => {
    const s = sessions.get(id);
    return s ? `${s.title}, ${shortDateTime(s.start)}` : id ? `séance n° ${id}` : '—';
  };
  results.append(scrollable(table('Réponses des participantes, les plus récentes d’abord',
    ['Date', 'Participante', 'Question', 'Réponse', 'Séance'],
    answers.map((a) => [shortDateTime(a.at), who(names, a.participant_id),
      `${questionLabel(a.question)}${shownDialog ? '' : ` (${dialogLabel(a.dialog)})`}`, answerLabel(a.answer), sessionText(a.session_id)])),
  'Tableau des réponses'));
}
