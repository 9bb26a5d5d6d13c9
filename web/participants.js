// "Participantes": the list with filters, her page (details, alerts, erasure) and her
// conversation with a reply box.
import { api, query } from './api.js';
import { h, add, clear, field, select, announce, errorBox, confirmDialog, table, scrollable, shortDateTime,
         dateTimeText, every, plural, euros } from './dom.js';
import { barrierLabel, barrierIds, languageLabel, channelLabel, alertTitle, alertStateLabel, warningText } from './labels.js';
import { messageLog, showMessages, scrollToEnd, counter } from './messages.js';

const NOT_FOUND = 'Participante introuvable : elle n’existe pas, ou elle n’est pas dans vos groupes.';

// Kept while the tab is open, so that coming back from her page keeps the list as it was.
const filters = { cohort: '', situation: '', barrier: '', silent_since: '' };

const SITUATIONS = [
  ['', 'Toutes'],
  ['active', 'Reçoivent les messages'],
  ['opted_out', 'Ont envoyé STOP'],
  ['failing', 'Numéro en échec'],
  ['no_consent', 'Sans consentement'],
];

// What the server can filter; "no consent" and "active" are finished here.
function serverQuery(after) {
  const q = { cohort: filters.cohort, barrier: filters.barrier, limit: 500, after };
  if (filters.silent_since) q.silent_since = `${filters.silent_since}T00:00`;
  if (filters.situation === 'opted_out') q.opted_out = 'true';
  if (filters.situation === 'failing') q.failing_number = 'true';
  if (filters.situation === 'active') Object.assign(q, { opted_out: 'false', failing_number: 'false' });
  return query(q);
}

function keep(p) {
  if (filters.situation === 'no_consent') return !p.consent;
  if (filters.situation === 'active') return p.consent;
  return true;
}

// Her situation in words: why she may not receive messages.
function situation(p) {
  const out = [];
  if (p.erased_at) out.push(['danger', `Effacée le ${shortDateTime(p.erased_at)}`]);
  if (p.opted_out) out.push(['danger', 'A envoyé STOP']);
  if (p.number_failing_since) out.push(['danger', `Numéro en échec depuis le ${shortDateTime(p.number_failing_since)}`]);
  if (!p.consent) out.push(['warning', 'Sans consentement']);
  if (out.length === 0) out.push(['ok', 'Reçoit les messages']);
  return h('span', { class: 'badges' }, out.map(([kind, text]) => h('span', { class: `tag ${kind}` }, text)));
}

const barriersText = (p) => (p.barriers.length ? p.barriers.map(barrierLabel).join(', ') : 'aucun');

export async function participantsPage(ctx) {
  ctx.title('Participantes');
  const cohorts = await ctx.cohorts();
  const cohort = select('cohort', [['', 'Tous les groupes'], ...cohorts.map((c) => [c.id, `${c.id} — ${c.name}`])], filters.cohort);
  const sit = select('situation', SITUATIONS, filters.situation);
  const barrier = select('barrier', [['', 'Tous'], ...barrierIds.map((b) => [b, barrierLabel(b)])], filters.barrier);
  const silent = h('input', { type: 'date', name: 'silent_since', value: filters.silent_since });
  const results = h('div', { class: 'results' });
  const form = h('form', { class: 'filters card', 'aria-label': 'Filtrer les participantes' },
    h('div', { class: 'row' },
      field('Groupe', cohort), field('Situation', sit), field('Frein cité', barrier),
      field('Sans réponse depuis le', silent, 'Laisser vide pour ne pas filtrer')),
    h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, 'Filtrer'),
      h('button', { type: 'reset', class: 'button secondary' }, 'Tout afficher')));
  const load = async () => {
    results.setAttribute('aria-busy', 'true');
    try {
      await showList(ctx, results);
    } catch (e) {
      if (e.name !== 'AbortError') results.replaceChildren(errorBox(e.message));
    } finally {
      results.removeAttribute('aria-busy');
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    Object.assign(filters, { cohort: cohort.value, situation: sit.value, barrier: barrier.value, silent_since: silent.value });
    load();
  });
  form.addEventListener('reset', (e) => {
    e.preventDefault();  // the default would bring back the filters the page opened with
    Object.assign(filters, { cohort: '', situation: '', barrier: '', silent_since: '' });
    for (const control of [cohort, sit, barrier, silent]) control.value = '';
    load();
  });
  ctx.container.append(form, results);
  await load();
}

async function showList(ctx, results, after = undefined, shown = []) {
  const page = await api.get(`/api/participants${serverQuery(after)}`, { signal: ctx.signal });
  const all = shown.concat(page.participants.filter(keep));
  const rows = all.map((p) => [
    h('a', { href: `#/participants/${p.id}` }, p.first_name),
    p.cohort,
    situation(p),
    barriersText(p),
    p.last_reply_at ? shortDateTime(p.last_reply_at) : 'jamais',
    p.unread_alerts ? h('a', { href: '#/alertes' }, String(p.unread_alerts)) : '0',
  ]);
  const summary = h('p', { class: 'count' }, plural(all.length, 'participante'));
  clear(results).append(summary);
  if (all.length) {
    results.append(scrollable(table('Participantes et leur situation',
      ['Prénom', 'Groupe', 'Situation', 'Freins', 'Dernière réponse', 'Alertes non lues'], rows), 'Tableau des participantes'));
  }
  if (page.next_after) {
    results.append(h('p', {}, h('button', { type: 'button', class: 'button secondary',
      onclick: () => showList(ctx, results, page.next_after, all) }, 'Voir les suivantes')));
  }
}

// Her record, or the page says she cannot be found (another cohort's looks the same).
async function loadParticipant(ctx, path) {
  try {
    return await api.get(path, { signal: ctx.signal });
  } catch (e) {
    if (e.status !== 404) throw e;
    ctx.title('Participante introuvable');
    ctx.container.append(errorBox(NOT_FOUND), h('p', {}, h('a', { href: '#/participants' }, 'Revenir à la liste')));
    return null;
  }
}

const yesNo = (v) => (v ? 'oui' : 'non');

export async function participantPage(ctx) {
  const p = await loadParticipant(ctx, `/api/participants/${encodeURIComponent(ctx.params.id)}`);
  if (!p) return;
  ctx.title(p.erased_at ? `Participante n° ${p.id} (effacée)` : p.first_name);
  const details = [
    ['Situation', situation(p)],
    ['Groupe', p.cohort],
    ['Téléphone', p.phone ?? '—'],
    ['Consentement aux messages', yesNo(p.consent)],
    ['Conseils pratiques et binôme', yesNo(p.consent_tips)],
    ['Freins cités', barriersText(p)],
    ['Langue', languageLabel(p.language)],
    ['Canal', channelLabel(p.channel)],
    ['Téléphone du binôme', p.buddy_phone ?? '—'],
    ['Identifiant externe', p.external_id ?? '—'],
    ['Inscrite le', dateTimeText(p.enrolled_at)],
    ['Dernière réponse', p.last_reply_at ? dateTimeText(p.last_reply_at) : 'jamais'],
  ];
  add(ctx.container,
    h('p', {}, h('a', { href: '#/participants' }, '← Toutes les participantes')),
    h('section', { class: 'card', 'aria-labelledby': 'fiche' }, h('h2', { id: 'fiche' }, 'Sa fiche'),
      h('dl', { class: 'details' }, details.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))),
    p.erased_at ? null : h('p', { class: 'actions' },
      h('a', { class: 'button', href: `#/participants/${p.id}/conversation` }, 'Voir la conversation et lui écrire')),
    await herAlerts(ctx, p),
    p.erased_at ? null : erasure(ctx, p));
}

async function herAlerts(ctx, p) {
  const section = h('section', { 'aria-labelledby': 'ses-alertes' }, h('h2', { id: 'ses-alertes' }, 'Ses alertes'));
  const { alerts } = await api.get(`/api/alerts${query({ participant: p.id })}`, { signal: ctx.signal });
  if (alerts.length === 0) section.append(h('p', {}, 'Aucune alerte.'));
  else section.append(h('ul', {}, alerts.map((a) => h('li', {},
    `${alertTitle(a.kind)} — ${alertStateLabel(a.state)} — ${shortDateTime(a.created_at)}`))),
  h('p', {}, h('a', { href: '#/alertes' }, 'Traiter les alertes')));
  return section;
}

function erasure(ctx, p) {
  const errors = h('div');
  const erase = async () => {
    const ok = await confirmDialog({
      title: `Effacer les données de ${p.first_name} ?`,
      text: ['Ses messages, ses réponses écrites, ses alertes, ses messages prévus et son numéro seront effacés. Seuls les chiffres pour les financeurs restent, sans nom ni numéro.',
        'Cela ne peut pas être annulé.'],
      confirm: 'Effacer définitivement',
      cancel: 'Ne rien effacer',
      danger: true,
    });
    if (!ok) return;
    clear(errors);
    try {
      const r = await api.del(`/api/participants/${p.id}`, { signal: ctx.signal });
      const n = r.removed ?? {};
      announce(r.already ? 'Elle était déjà effacée.'
        : `Données effacées : ${plural(n.messages_received ?? 0, 'message reçu', 'messages reçus')}, ${plural(n.messages_sent_blanked ?? 0, 'message envoyé vidé', 'messages envoyés vidés')}, ${plural(n.alerts ?? 0, 'alerte')}.`, 'success');
      ctx.go('#/participants');
    } catch (e) {
      if (e.name !== 'AbortError') errors.append(errorBox(e.message));
    }
  };
  return h('section', { class: 'card danger-zone', 'aria-labelledby': 'effacer' },
    h('h2', { id: 'effacer' }, 'Effacer ses données (RGPD)'),
    h('p', {}, 'À faire seulement si elle le demande. Ses données disparaissent tout de suite et pour toujours.'),
    errors,
    h('button', { type: 'button', class: 'button danger', onclick: erase }, 'Effacer ses données…'));
}

// --- Her conversation ------------------------------------------------------------------

function cannotWrite(p) {
  if (p.opted_out) return 'Elle a envoyé STOP : vous ne pouvez plus lui écrire. Seule elle peut reprendre, en envoyant START.';
  if (!p.consent) return "Elle n'a pas donné son accord pour recevoir des messages.";
  if (p.number_failing_since) return 'Son numéro ne fonctionne pas : vérifiez-le avec elle avant de lui écrire.';
  return '';
}

export async function conversationPage(ctx) {
  const path = `/api/participants/${encodeURIComponent(ctx.params.id)}/messages`;
  const first = await loadParticipant(ctx, path);
  if (!first) return;
  const p = first.participant;
  ctx.title(`Conversation avec ${p.first_name || `la participante n° ${p.id}`}`);
  const log = messageLog(`Messages échangés avec ${p.first_name}`, 'coach');
  const author = (m) => (m.direction === 'in' ? p.first_name : m.origin === 'coach' ? 'Coach' : 'Relais');
  ctx.container.append(
    h('p', {}, h('a', { href: `#/participants/${p.id}` }, `← Fiche de ${p.first_name}`), ' · ', situation(p)),
    log.element,
    replyBox(ctx, p, async () => {
      showMessages(log, (await api.get(path, { signal: ctx.signal })).messages, author);
      scrollToEnd(log, true);
    }));
  showMessages(log, first.messages, author);
  scrollToEnd(log, true);
  // Her replies and the statuses of what was sent arrive while the page is open.
  every(5000, ctx.signal, async () => {
    try {
      showMessages(log, (await api.get(path, { signal: ctx.signal })).messages, author);
      scrollToEnd(log);
    } catch (e) {
      if (e.name !== 'AbortError') announce(e.message, 'error');
    }
  });
}

function replyBox(ctx, p, refresh) {
  const why = cannotWrite(p);
  const section = h('section', { class: 'card', 'aria-labelledby': 'repondre' }, h('h2', { id: 'repondre' }, `Écrire à ${p.first_name}`));
  if (why) {
    section.append(h('p', { class: 'notice warning' }, why));
    return section;
  }
  const text = h('textarea', { name: 'text', rows: '3', required: true, maxlength: '1600', class: 'wide' });
  const errors = h('div');
  const button = h('button', { type: 'submit', class: 'button' }, 'Envoyer');
  const form = h('form', {},
    field(`Votre message à ${p.first_name}`, text, 'Il part tout de suite, même le soir ou le dimanche. Pas d’emoji : le SMS coûterait plus.'),
    counter(text), errors, button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(errors);
    if (!text.value.trim()) {
      errors.append(errorBox('Écrivez un message avant d’envoyer.'));
      text.focus();
      return;
    }
    button.disabled = true;
    try {
      const r = await api.post(`/api/participants/${p.id}/messages`, { text: text.value }, { signal: ctx.signal });
      const warnings = (r.warnings ?? []).map(warningText).join(' ');
      announce(`Message envoyé à ${p.first_name} (${plural(r.segments, 'SMS', 'SMS')}, ${euros(r.cost_eur)}). ${warnings}`, 'success');
      text.value = '';
      text.dispatchEvent(new Event('input'));
      await refresh();
    } catch (err) {
      if (err.name !== 'AbortError') errors.append(errorBox(err.message));
    } finally {
      button.disabled = false;
    }
  });
  section.append(form);
  return section;
}
