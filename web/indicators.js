// "Indicateurs": the funders' figures (GET /api/indicators, defined in
// docs/indicators.md) as key numbers and charts, and the same as a CSV file.
import { api, query } from './api.js';
import { h, clear, field, select, announce, errorBox, euros, percent, number, plural } from './dom.js';
import { sessionKindLabel, channelLabel, barrierLabel } from './labels.js';
import { figure, horizontalBars, columns, line, gauge, COLORS } from './charts.js';

const ATTENDANCE = [
  { key: 'present', label: 'Présentes', color: COLORS.green },
  { key: 'absent', label: 'Absentes', color: COLORS.red },
  { key: 'excused', label: 'Excusées', color: COLORS.amber },
];
const MESSAGES = [
  { key: 'sent', label: 'Envoyés', color: COLORS.blue },
  { key: 'delivered', label: 'Remis', color: COLORS.green },
  { key: 'failed', label: 'Échecs', color: COLORS.red },
  { key: 'dropped', label: 'Non envoyés', color: COLORS.grey },
];
const BARRIERS = [
  { key: 'named', label: 'Citent ce frein', color: COLORS.blue },
  { key: 'tips_sent', label: 'Conseils envoyés', color: COLORS.green },
];

export async function indicatorsPage(ctx) {
  ctx.title('Indicateurs');
  const cohorts = await ctx.cohorts();
  const cohort = select('cohort', [['', cohorts.length > 1 ? 'Tous vos groupes' : 'Votre groupe'],
    ...cohorts.map((c) => [c.id, `${c.id} — ${c.name}`])], '');
  const from = h('input', { type: 'date', name: 'from' });
  const to = h('input', { type: 'date', name: 'to' });
  const results = h('div');
  const errors = h('div');
  const params = () => ({ cohort: cohort.value, from: from.value && `${from.value}T00:00`, to: to.value && `${to.value}T00:00` });
  const form = h('form', { class: 'filters card', 'aria-label': 'Choisir le groupe et la période' },
    h('div', { class: 'row' }, field('Groupe', cohort), field('Du', from, 'Vide : depuis le début'),
      field('Au (exclu)', to, 'Vide : jusqu’à maintenant')),
    h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, 'Afficher'),
      h('button', { type: 'button', class: 'button secondary', onclick: () => downloadCsv(ctx, params(), errors) },
        'Télécharger en CSV')),
    errors);
  const load = async () => {
    clear(errors);
    results.setAttribute('aria-busy', 'true');
    try {
      show(results, await api.get(`/api/indicators${query(params())}`, { signal: ctx.signal }));
    } catch (e) {
      if (e.name !== 'AbortError') results.replaceChildren(errorBox(e.message));
    } finally {
      results.removeAttribute('aria-busy');
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  ctx.container.append(
    h('p', {}, 'Les chiffres pour les financeurs : sans nom ni numéro. Leur définition est dans la documentation (indicateurs).'),
    form, results);
  await load();
}

// The CSV needs the token, so it is fetched, then saved from a Blob.
async function downloadCsv(ctx, params, errors) {
  clear(errors);
  try {
    const response = await api.raw(`/api/indicators.csv${query(params)}`, { signal: ctx.signal });
    const url = URL.createObjectURL(await response.blob());
    const link = h('a', { href: url, download: `indicateurs${params.cohort ? `-${params.cohort}` : ''}.csv`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    announce('Fichier CSV des indicateurs téléchargé.', 'success');
  } catch (e) {
    if (e.name !== 'AbortError') errors.append(errorBox(e.message));
  }
}

const rate = (r) => percent(r.rate);

function keyFigures(d) {
  const p = d.programme;
  const figures = [
    ['Inscrites', number(p.participants.enrolled)],
    ['Consentement aux messages', number(p.participants.consenting)],
    ['Ont envoyé STOP', number(p.participants.opted_out)],
    ['Effacées (RGPD)', number(p.participants.erased)],
    ['Taux de présence', rate(p.attendance)],
    ['Réponses sous 48 h', rate(p.replies)],
    ['Note moyenne des ateliers', p.ratings.mean === null ? 'pas encore de notes' : `${number(p.ratings.mean)} sur 5`],
    ['Messages envoyés', number(d.messages.sent)],
    ['Coût estimé des messages', euros(d.messages.cost_eur)],
  ];
  return h('section', { 'aria-labelledby': 'chiffres-cles' }, h('h2', { id: 'chiffres-cles' }, 'Chiffres clés'),
    h('dl', { class: 'figures' }, figures.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))));
}

function show(results, d) {
  const p = d.programme;
  const kinds = d.session_kinds.map((k) => ({ label: shortKind(k.kind), full: sessionKindLabel(k.kind), values: k.attendance, k }));
  const marks = ['1', '2', '3', '4', '5'].map((m) => ({ label: m, value: p.ratings.marks[m] ?? 0 }));
  const weeks = d.ratings_by_week.map((w) => ({ label: weekLabel(w.week_start), value: w.mean, w }));
  const channels = d.channels.map((c) => ({ label: channelLabel(c.channel), values: c, c }));
  const barriers = Object.entries(p.barriers).map(([id, v]) => ({ label: barrierLabel(id), values: v }));
  const b = d.budget;
  clear(results).append(
    keyFigures(d),
    h('h2', {}, 'Graphiques'),
    h('div', { class: 'charts' },
      figure('Présence par type de séance', horizontalBars({
        title: 'Présence par type de séance', stacked: true, series: ATTENDANCE, rows: kinds,
        desc: kinds.length ? kinds.map((k) => `${k.full} : ${k.values.present} présentes, ${k.values.absent} absentes, ${k.values.excused} excusées`).join(' ; ')
          : 'Aucune présence notée pour l’instant.',
        empty: 'Aucune présence notée pour l’instant',
      }), 'Présence par type de séance', ['Type de séance', 'Séances tenues', 'Présentes', 'Absentes', 'Excusées', 'Taux de présence'],
      kinds.map(({ full, k }) => [full, number(k.sessions), number(k.attendance.present), number(k.attendance.absent),
        number(k.attendance.excused), percent(k.attendance.rate)])),

      figure('Notes données aux ateliers (1 à 5)', columns({
        title: 'Répartition des notes de 1 à 5', bars: marks,
        desc: `${plural(p.ratings.count, 'note')} : ${marks.map((m) => `${m.value} fois ${m.label}`).join(', ')}.`,
        empty: 'Aucune note pour l’instant',
      }), 'Répartition des notes', ['Note', 'Nombre'], marks.map((m) => [m.label, number(m.value)])),

      figure('Note moyenne par semaine', line({
        title: 'Note moyenne des ateliers, semaine par semaine', points: weeks, min: 1, max: 5,
        desc: weeks.length ? weeks.map((w) => `semaine du ${w.label} : ${number(w.value)}`).join(' ; ') : 'Aucune note pour l’instant.',
        empty: 'Aucune note pour l’instant',
      }), 'Notes par semaine', ['Semaine', 'Nombre de notes', 'Moyenne'],
      weeks.map(({ w }) => [`${w.week} (lundi ${weekLabel(w.week_start)})`, number(w.count), number(w.mean)])),

      figure('Messages par canal', horizontalBars({
        title: 'Messages par canal', stacked: false, series: MESSAGES, rows: channels,
        desc: channels.length ? channels.map((c) => `${c.label} : ${c.c.sent} envoyés, ${c.c.delivered} remis, ${c.c.failed} en échec, ${c.c.dropped} non envoyés`).join(' ; ')
          : 'Aucun message envoyé pour l’instant.',
        empty: 'Aucun message envoyé pour l’instant',
      }), 'Messages par canal', ['Canal', 'Envoyés', 'Remis', 'Échecs', 'Non envoyés', 'Segments SMS', 'Coût'],
      channels.map(({ label, c }) => [label, number(c.sent), number(c.delivered), number(c.failed), number(c.dropped),
        number(c.segments), euros(c.cost_eur)])),

      figure('Freins cités et conseils envoyés', horizontalBars({
        title: 'Freins cités et conseils envoyés', stacked: false, series: BARRIERS, rows: barriers,
        desc: barriers.map((x) => `${x.label} : ${x.values.named} participantes, ${x.values.tips_sent} conseils`).join(' ; '),
      }), 'Freins cités', ['Frein', 'Participantes qui le citent', 'Conseils envoyés'],
      barriers.map((x) => [x.label, number(x.values.named), number(x.values.tips_sent)])),

      figure('Budget des messages', gauge({
        title: 'Part du budget des messages utilisée',
        desc: `${euros(b.cost_eur)} dépensés sur ${euros(b.budget_eur)}, soit ${percent(b.used)}.`,
        used: b.used, label: `${euros(b.cost_eur)} sur ${euros(b.budget_eur)} (${percent(b.used)}) — reste ${euros(b.left_eur)}`,
      }), 'Budget des messages', ['Budget', 'Dépensé', 'Part utilisée', 'Reste'],
      [[euros(b.budget_eur), euros(b.cost_eur), percent(b.used), euros(b.left_eur)]])));
}

// A short label for the chart's left column; the table gives the full one.
function shortKind(kind) {
  const SHORT = { 'individual-coaching': 'Entretien indiv.', 'collective-coaching': 'Co-développement', expression: 'Confiance en soi',
                  mobility: 'Mobilité', digital: 'Numérique', childcare: 'Parentalité', other: 'Autre' };
  return SHORT[kind] ?? kind;
}

function weekLabel(isoDate) {
  const [, m, d] = isoDate.split('-');
  return `${Number(d)}/${m}`;
}
