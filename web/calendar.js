// "Calendrier": the sessions of the coach's cohorts, week by week. Sessions created here
// can be moved or cancelled here; calendar ones are changed in the calendar (the API
// answers 409 for them, and Relais would undo the change at its next reading).
import { api, query } from './api.js';
import { h, clear, field, select, announce, errorBox, confirmDialog, rangeText, dayText, inputValue,
         localParts, mondayOf, addDays, isoDay, today, plural } from './dom.js';
import { sessionKindLabel, sessionKindIds } from './labels.js';

const WEEKS = 6;

export async function calendarPage(ctx) {
  ctx.title('Calendrier des séances');
  const { venues } = await api.get('/api/venues', { signal: ctx.signal });
  const venueNames = new Map(venues.map((v) => [v.id, v.name]));
  let first = mondayOf(today());
  const list = h('div', { class: 'weeks' });
  const period = h('p', { class: 'period' });
  const shift = (weeks) => { first = addDays(first, 7 * weeks); load(); };
  const load = () => loadWeeks(ctx, list, period, first, venueNames).catch((e) => {
    if (e.name !== 'AbortError') list.replaceChildren(errorBox(e.message));
  });
  ctx.container.append(
    await createForm(ctx, venues, load),
    h('h2', {}, 'Séances'),
    period,
    h('p', { class: 'actions' },
      h('button', { type: 'button', class: 'button secondary', onclick: () => shift(-WEEKS) }, `${WEEKS} semaines plus tôt`),
      h('button', { type: 'button', class: 'button secondary', onclick: () => shift(WEEKS) }, `${WEEKS} semaines plus tard`)),
    list);
  await load();
}

async function loadWeeks(ctx, list, period, first, venueNames) {
  const last = addDays(first, 7 * WEEKS);
  period.textContent = `Du ${dayText(first)} au ${dayText(addDays(last, -1))}.`;
  list.setAttribute('aria-busy', 'true');
  const { sessions } = await api.get(`/api/sessions${query({ from: `${isoDay(first)}T00:00`, to: `${isoDay(last)}T00:00` })}`,
                                     { signal: ctx.signal });
  list.removeAttribute('aria-busy');
  const weeks = new Map();
  for (const s of sessions) {
    const p = localParts(s.start);
    const key = isoDay(mondayOf(p.day));
    if (!weeks.has(key)) weeks.set(key, []);
    weeks.get(key).push(s);
  }
  clear(list);
  if (weeks.size === 0) list.append(h('p', {}, 'Aucune séance sur cette période.'));
  for (const [monday, items] of weeks) {
    list.append(h('section', { class: 'week', 'aria-label': `Semaine du ${dayText(new Date(monday))}` },
      h('h3', {}, `Semaine du ${dayText(new Date(monday))}`),
      h('ul', { class: 'sessions' }, items.map((s) => h('li', {}, sessionItem(ctx, s, venueNames, () => loadWeeks(ctx, list, period, first, venueNames)))))));
  }
}

function sessionItem(ctx, s, venueNames, reload) {
  const actions = h('div', { class: 'actions' });
  const item = h('article', { class: `session${s.cancelled ? ' cancelled' : ''}`, 'data-session': s.id },
    h('h4', {}, s.title, s.cancelled ? h('span', { class: 'tag danger' }, 'annulée') : null,
      s.individual ? h('span', { class: 'tag' }, 'individuel') : null),
    h('p', { class: 'when' }, rangeText(s.start, s.end)),
    h('p', {}, [s.title.toLowerCase() === sessionKindLabel(s.kind).toLowerCase() ? '' : sessionKindLabel(s.kind), `groupe${s.cohorts.length > 1 ? 's' : ''} ${s.cohorts.join(', ')}`,
      venueNames.get(s.venue), s.location].filter(Boolean).join(' · ')),
    actions);
  if (!s.editable) {
    actions.append(h('p', { class: 'hint' }, `Vient de l’agenda « ${s.source} » : à changer dans l’agenda.`));
  } else if (!s.cancelled) {
    const slot = h('div');
    actions.append(
      h('button', { type: 'button', class: 'button secondary', onclick: () => moveForm(ctx, s, slot, reload) },
        h('span', {}, 'Déplacer'), h('span', { class: 'visually-hidden' }, ` « ${s.title} »`)),
      h('button', { type: 'button', class: 'button danger', onclick: () => cancelSession(ctx, s, reload) },
        h('span', {}, 'Annuler la séance'), h('span', { class: 'visually-hidden' }, ` « ${s.title} »`)),
      slot);
  }
  return item;
}

function told(result) {
  return result.participants_told ? ` ${plural(result.participants_told, 'participante prévenue', 'participantes prévenues')} par message.` : '';
}

function moveForm(ctx, s, slot, reload) {
  if (slot.firstChild) return slot.querySelector('input')?.focus();
  const start = h('input', { type: 'datetime-local', name: 'start', required: true, value: inputValue(s.start) });
  const end = h('input', { type: 'datetime-local', name: 'end', required: true, value: inputValue(s.end) });
  const errors = h('div');
  const form = h('form', { class: 'inline-form' },
    h('fieldset', {}, h('legend', {}, `Déplacer « ${s.title} »`),
      field('Nouveau début', start), field('Nouvelle fin', end)),
    errors,
    h('p', { class: 'actions' },
      h('button', { type: 'submit', class: 'button' }, 'Enregistrer'),
      h('button', { type: 'button', class: 'button secondary', onclick: () => clear(slot) }, 'Fermer')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(errors);
    try {
      const result = await api.patch(`/api/sessions/${s.id}`, { start: start.value, end: end.value }, { signal: ctx.signal });
      announce(`Séance déplacée.${told(result)}`, 'success');
      await reload();
    } catch (err) {
      if (err.name !== 'AbortError') errors.append(errorBox(err.message));
    }
  });
  slot.append(form);
  start.focus();
}

async function cancelSession(ctx, s, reload) {
  const ok = await confirmDialog({
    title: 'Annuler la séance ?',
    text: [`« ${s.title} », ${rangeText(s.start, s.end)}.`,
      'Les messages prévus pour cette séance ne partiront pas. Si elle a lieu dans moins de 7 jours, les participantes reçoivent un message qui le dit.'],
    confirm: 'Annuler la séance',
    cancel: 'Garder la séance',
    danger: true,
  });
  if (!ok) return;
  try {
    const result = await api.del(`/api/sessions/${s.id}`, { signal: ctx.signal });
    announce(`Séance annulée.${told(result)}`, 'success');
    await reload();
  } catch (err) {
    if (err.name !== 'AbortError') announce(err.message, 'error');
  }
}

async function createForm(ctx, venues, reload) {
  const cohorts = await ctx.cohorts();
  const title = h('input', { type: 'text', name: 'title', required: true, maxlength: '200', class: 'wide' });
  const kind = select('kind', sessionKindIds.map((k) => [k, sessionKindLabel(k)]), 'collective-coaching');
  const start = h('input', { type: 'datetime-local', name: 'start', required: true });
  const end = h('input', { type: 'datetime-local', name: 'end', required: true });
  // A known place (its way there goes to those with a mobility barrier), or another one.
  const venue = select('venue', [['', 'Autre lieu (à écrire ci-dessous)'],
                                 ...venues.map((v) => [v.id, v.address ? `${v.name} (${v.address})` : v.name])],
                       venues.length ? venues[0].id : '');
  const location = h('input', { type: 'text', name: 'location', class: 'wide' });
  const boxes = cohorts.map((c) => h('input', { type: 'checkbox', name: 'cohorts', value: c.id, id: `seance-groupe-${c.id}`,
                                                checked: cohorts.length === 1 }));
  const errors = h('div');
  const form = h('form', { class: 'card' },
    field('Titre', title, 'Par exemple : Atelier CV'),
    field('Type de séance', kind),
    h('fieldset', {}, h('legend', {}, 'Pour quels groupes ?'),
      cohorts.map((c, i) => h('div', { class: 'check' }, boxes[i], h('label', { for: boxes[i].id }, `${c.id} — ${c.name}`)))),
    h('div', { class: 'row' }, field('Début', start, 'Heure de Paris'), field('Fin', end)),
    field('Lieu', venue),
    field('Précisions sur le lieu (ou autre lieu)', location, 'Comme vous les diriez à une participante : salle, étage, adresse'),
    errors,
    h('button', { type: 'submit', class: 'button' }, 'Créer la séance'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(errors);
    const body = { title: title.value.trim(), kind: kind.value, start: start.value, end: end.value,
                   cohorts: boxes.filter((b) => b.checked).map((b) => b.value), venue: venue.value,
                   location: location.value.trim() };
    const missing = [];
    if (!body.title) missing.push('le titre');
    if (!body.start || !body.end) missing.push('le début et la fin');
    if (body.cohorts.length === 0) missing.push('au moins un groupe');
    if (missing.length) {
      errors.append(errorBox(`Il manque : ${missing.join(', ')}.`));
      return;
    }
    try {
      const result = await api.post('/api/sessions', body, { signal: ctx.signal });
      announce(`Séance « ${result.title} » créée : ses rappels sont planifiés.${told(result)}`, 'success');
      form.reset();
      await reload();
    } catch (err) {
      if (err.name !== 'AbortError') errors.append(errorBox(err.message));
    }
  });
  return h('details', { class: 'create' }, h('summary', {}, 'Créer une séance'),
    h('p', { class: 'hint' }, 'Les séances notées dans l’agenda des ateliers arrivent toutes seules. Créez ici seulement celles qui ne sont pas dans l’agenda.'),
    form);
}
