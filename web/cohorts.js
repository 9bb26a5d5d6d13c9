// "Groupes": each cohort at a glance — its coaches, its next session and who confirmed
// coming, and its unread alerts.
import { api } from './api.js';
import { h, rangeText, plural } from './dom.js';
import { sessionKindLabel } from './labels.js';

const ANSWERS = { yes: 'vient', no: 'ne vient pas' };

export async function cohortsPage(ctx) {
  ctx.title('Vos groupes');
  const { cohorts } = await api.get('/api/cohorts', { signal: ctx.signal });
  if (cohorts.length === 0) {
    ctx.container.append(h('p', {}, 'Aucun groupe pour ce jeton.'));
    return;
  }
  ctx.container.append(h('div', { class: 'cards' }, cohorts.map(cohortCard)));
}

function cohortCard(c) {
  const headingId = `groupe-${c.id}`;
  return h('section', { class: 'card cohort', 'aria-labelledby': headingId, 'data-cohort': c.id },
    h('h2', { id: headingId }, c.name, ' ', h('span', { class: 'tag' }, c.id)),
    h('p', {}, 'Coachs : ', c.coaches.length ? c.coaches.join(', ') : '—'),
    h('p', { class: c.unread_alerts ? 'attention' : '' },
      h('a', { href: '#/alertes' }, c.unread_alerts ? plural(c.unread_alerts, 'alerte non lue', 'alertes non lues')
                                                    : 'Aucune alerte non lue')),
    nextSession(c),
    h('p', { class: 'actions' },
      h('a', { class: 'button secondary', href: '#/participants' }, 'Participantes'),
      h('a', { class: 'button secondary', href: '#/message' }, 'Écrire au groupe')));
}

function nextSession(c) {
  const s = c.next_session;
  if (!s) return h('div', {}, h('h3', {}, 'Prochaine séance'), h('p', {}, 'Aucune séance prévue.'));
  const conf = c.confirmations ?? { yes: 0, no: 0, unknown: 0, participants: [] };
  return h('div', {},
    h('h3', {}, 'Prochaine séance'),
    h('p', { class: 'session-title' }, s.title,
      s.title.toLowerCase() === sessionKindLabel(s.kind).toLowerCase() ? '' : ` — ${sessionKindLabel(s.kind)}`),
    h('p', {}, rangeText(s.start, s.end)),
    s.location ? h('p', {}, 'Lieu : ', s.location) : null,
    h('p', {}, `Confirmations : ${conf.yes} oui, ${conf.no} non, ${conf.unknown} sans réponse`),
    conf.participants.length
      ? h('ul', { class: 'confirmations' }, conf.participants.map((p) =>
        h('li', { class: `answer-${p.answer ?? 'none'}` },
          h('a', { href: `#/participants/${p.participant_id}` }, p.first_name), ' : ',
          ANSWERS[p.answer] ?? 'pas de réponse')))
      : null);
}
