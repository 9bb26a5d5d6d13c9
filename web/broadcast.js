// "Message de groupe": write once to a whole cohort. The preview comes first (who
// receives it, who is left out and why, SMS count and cost, warnings); "Envoyer" sends
// exactly what the preview showed, and disappears as soon as the text changes.
import { api } from './api.js';
import { h, add, clear, field, select, errorBox, table, scrollable, euros, dateTimeText, shortDateTime,
         plural } from './dom.js';
import { exclusionLabel, channelLabel, warningText, nextOpening } from './labels.js';
import { counter } from './messages.js';

export async function broadcastPage(ctx) {
  ctx.title('Message de groupe');
  const cohorts = await ctx.cohorts();
  const cohort = select('cohort', cohorts.map((c) => [c.id, `${c.id} — ${c.name}`]), cohorts[0]?.id);
  const text = h('textarea', { name: 'text', rows: '4', required: true, maxlength: '1600', class: 'wide' });
  const when = h('input', { type: 'datetime-local', name: 'send_at' });
  const errors = h('div');
  const preview = h('section', { class: 'preview', 'aria-labelledby': 'apercu', hidden: true });
  const form = h('form', { class: 'card' },
    field('Groupe', cohort),
    field('Message', text, 'Écrivez {first_name} pour mettre le prénom de chacune. Pas d’emoji : le SMS coûterait deux ou trois fois plus.'),
    counter(text),
    field('Envoyer le (facultatif)', when, 'Laisser vide pour envoyer tout de suite. Heure de Paris.'),
    errors,
    h('button', { type: 'submit', class: 'button' }, 'Voir l’aperçu'));

  const request = () => ({ cohort: cohort.value, text: text.value, ...(when.value ? { send_at: when.value } : {}) });
  const showPreview = async () => {
    clear(errors);
    if (!text.value.trim()) {
      errors.append(errorBox('Écrivez le message avant de voir l’aperçu.'));
      text.focus();
      return;
    }
    try {
      const body = request();
      const plan = await api.post('/api/broadcasts', { ...body, preview: true }, { signal: ctx.signal });
      renderPreview(ctx, preview, plan, body, {
        later: (at) => { when.value = at; showPreview(); },
        sent: () => { text.value = ''; when.value = ''; text.dispatchEvent(new Event('input')); loadHistory(ctx, history); },
      });
    } catch (e) {
      if (e.name !== 'AbortError') errors.append(errorBox(e.message));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); showPreview(); });
  // A preview is valid for the text it shows only.
  for (const control of [cohort, text, when]) control.addEventListener('input', () => { preview.hidden = true; clear(preview); });

  const history = h('section', { 'aria-labelledby': 'envoyes' });
  ctx.container.append(form, preview, history);
  await loadHistory(ctx, history);
}

function renderPreview(ctx, preview, plan, body, { later, sent }) {
  clear(preview);
  preview.hidden = false;
  const n = plan.recipients.length;
  const opening = nextOpening(plan.warnings);
  add(preview,
    h('h2', { id: 'apercu', tabindex: '-1' }, 'Aperçu avant envoi'),
    h('ul', { class: 'summary' },
      h('li', {}, h('strong', {}, plural(n, 'destinataire')), plan.excluded.length ? ` (${plural(plan.excluded.length, 'exclue')})` : ''),
      h('li', {}, `${plural(plan.segments, 'SMS', 'SMS')} en tout — coût estimé ${euros(plan.cost_eur)}`),
      h('li', {}, plan.encoding === 'GSM-7' ? 'Codage : SMS standard (160 caractères par SMS)'
        : 'Codage : caractères spéciaux ou emoji (70 caractères par SMS, coût plus élevé)'),
      h('li', {}, `Départ : ${dateTimeText(plan.send_at)}`)),
    plan.warnings.length ? h('div', { class: 'notice warning', role: 'note' },
      plan.warnings.map((w) => h('p', {}, warningText(w))),
      opening ? h('button', { type: 'button', class: 'button secondary', onclick: () => later(opening) },
        'Envoyer plutôt à la prochaine ouverture') : null) : null,
    n ? scrollable(table('Ce que chacune recevra', ['Prénom', 'Message', 'Canal', 'SMS', 'Coût'],
      plan.recipients.map((r) => [r.first_name, r.text, channelLabel(r.channel), String(r.segments), euros(r.cost_eur)])),
    'Destinataires') : null,
    plan.excluded.length ? h('div', {}, h('h3', {}, 'Exclues, et pourquoi'),
      h('ul', {}, plan.excluded.map((e) => h('li', {}, `${e.first_name} : ${exclusionLabel(e.reason)}`)))) : null);
  const errors = h('div');
  if (n) {
    const send = h('button', { type: 'button', class: 'button' }, `Envoyer à ${plural(n, 'personne')}`);
    send.addEventListener('click', async () => {
      send.disabled = true;
      clear(errors);
      try {
        const r = await api.post('/api/broadcasts', body, { signal: ctx.signal });
        sent();  // empties the form, which withdraws the preview
        const done = h('p', { class: 'notice success', tabindex: '-1' },
          `Message envoyé à ${plural(r.recipients.length, 'personne')} (${euros(r.cost_eur)}).`);
        clear(preview).append(done);
        preview.hidden = false;
        done.focus();
      } catch (e) {
        send.disabled = false;
        if (e.name !== 'AbortError') errors.append(errorBox(e.message));
      }
    });
    preview.append(errors, h('p', { class: 'actions' }, send));
  } else {
    preview.append(h('p', { class: 'notice warning' }, 'Personne ne recevrait ce message : rien ne peut être envoyé.'));
  }
  preview.querySelector('h2').focus();
}

async function loadHistory(ctx, section) {
  clear(section).append(h('h2', { id: 'envoyes' }, 'Messages de groupe déjà envoyés'));
  try {
    const { broadcasts } = await api.get('/api/broadcasts', { signal: ctx.signal });
    if (broadcasts.length === 0) {
      section.append(h('p', {}, 'Aucun pour l’instant.'));
      return;
    }
    section.append(scrollable(table('Les derniers messages de groupe',
      ['Date', 'Par', 'Groupe', 'Message', 'Destinataires', 'Exclues', 'Coût'],
      broadcasts.map((b) => [shortDateTime(b.created_at), b.actor, b.cohort || '—', b.text || `(texte « ${b.template} »)`,
        String(b.recipients), String(b.excluded), euros(b.cost_eur)])), 'Messages de groupe envoyés'));
  } catch (e) {
    if (e.name !== 'AbortError') section.append(errorBox(e.message));
  }
}
