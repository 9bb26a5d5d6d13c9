// The French words coaches read for the ids the API answers (barriers, session kinds,
// alert kinds, message kinds and statuses, reasons). An unknown id is shown as it is.

const BARRIERS = {
  childcare: "garde d'enfants",
  mobility: 'mobilité',
  digital: 'numérique',
  confidence: 'confiance',
  isolation: 'isolement',
};

// docs/guide-coach-fr.md, part 11 (scheduler/session.hpp kSessionKinds).
const SESSION_KINDS = {
  'individual-coaching': 'Entretien individuel',
  'collective-coaching': 'Atelier collectif (co-développement)',
  expression: 'Atelier confiance en soi, prise de parole',
  mobility: 'Atelier mobilité',
  digital: 'Atelier numérique',
  childcare: "Atelier garde d'enfants, parentalité",
  other: 'Autre',
};

// docs/guide-coach-fr.md, part 5: what it means, and what to do.
const ALERTS = {
  absence_declared: ["Absence annoncée", "Elle a dit qu'elle ne viendra pas à un atelier ; sa raison est enregistrée si elle l'a donnée.",
    "Pour la garde ou le transport, Relais lui a envoyé un conseil pratique ; appelez-la si besoin."],
  checkin_low: ['Note basse après un atelier', "Elle a noté l'atelier 1 ou 2 sur 5.",
    "L'appeler pour comprendre, sans se justifier."],
  blocker: ['Difficulté pour la suite', 'Elle a une difficulté pour la suite ; ses mots sont enregistrés.',
    "Relais lui a dit que vous alliez l'appeler : appelez-la."],
  meteo_low: ['Semaine difficile', 'Sa semaine va mal (1 ou 2 sur 5).',
    'Relais lui a proposé d’envoyer COACH ; un petit message de vous fait du bien.'],
  callback_requested: ['Demande d’appel', 'Elle demande un appel (COACH, ou OUI après un atelier manqué).',
    "L'appeler dès que possible : on le lui a promis."],
  welcome_declined: ['Bienvenue refusée', 'Elle a répondu NON au message de bienvenue.',
    "L'appeler pour en parler ; si elle ne veut pas de SMS, elle envoie STOP."],
  not_understood: ['Réponse pas comprise', "Deux réponses de suite n'ont pas été comprises.",
    'Lire ses messages et lui répondre vous-même.'],
  participant_message: ['Message de sa part', 'Elle a écrit en dehors de toute question.',
    'Relais ne répond pas tout seul : lisez et répondez.'],
  unknown_sender: ['Numéro inconnu', 'Un numéro inconnu a écrit ; il a reçu une réponse neutre, au plus une par jour.',
    'Nouveau numéro d’une participante ? Erreur ? Vérifiez avant de l’ajouter.'],
  failing_number: ['Numéro en échec', "L'opérateur dit que son numéro n'existe pas ou ne reçoit pas les SMS ; Relais ne lui envoie plus rien.",
    'Vérifier le numéro avec elle (appel, atelier) et le corriger dans le fichier des participantes.'],
  step_failed: ['Problème technique', 'Un problème technique pendant la lecture d’un message ; le message est gardé.',
    'Lire le message, répondre à la main, prévenir l’équipe technique.'],
  coach_sms_refused: ['Message de groupe par SMS refusé',
    "Un message de groupe envoyé par SMS a été refusé (mauvais code, groupe qui n'est pas le vôtre, ou numéro qui n'est pas celui d'une coach) ; rien n'est parti.",
    "Si ce n'était pas vous, prévenez l’équipe technique."],
};

const ALERT_STATES = { unread: 'non lue', read: 'lue', acknowledged: 'traitée' };

// What an outgoing message was (outbox kind).
const MESSAGE_KINDS = {
  welcome: 'Bienvenue',
  reminder: 'Rappel',
  checkin: "Retour d'atelier",
  missed: 'Atelier manqué',
  tip: 'Conseil',
  peer: 'Binôme',
  meteo: 'Météo de la semaine',
  notice: 'Information (atelier déplacé ou annulé)',
  end_of_programme: 'Fin de parcours',
  broadcast: 'Message de groupe',
  coach: 'Message de la coach',
  reply: 'Réponse automatique',
  stop_confirmation: 'Confirmation de STOP',
};

const MESSAGE_STATUSES = {
  queued: 'en attente',
  deferred: 'retardé',
  sending: "en cours d'envoi",
  sent: 'envoyé',
  delivered: 'remis',
  read: 'lu',
  failed: 'en échec',
  undelivered: 'non distribué',
  dropped: 'abandonné',
  cancelled: 'annulé',
};

const EXCLUSIONS = {
  opted_out: 'a envoyé STOP',
  no_consent: "n'a pas donné son accord",
  failing_number: 'son numéro ne fonctionne pas',
};

const DIALOGS = {
  welcome: 'Bienvenue',
  attendance: 'Présence',
  reminder: 'Rappel',
  checkin: "Retour d'atelier",
  missed: 'Atelier manqué',
  tip: 'Conseil',
  peer: 'Binôme',
  meteo: 'Météo',
  end_of_programme: 'Fin de parcours',
};

const QUESTIONS = {
  'checkin.rating': "Note de l'atelier (1 à 5)",
  'checkin.helped': 'Ce qui a aidé',
  'checkin.blocker': 'Difficulté pour la suite',
  'meteo.rating': 'Météo de la semaine (1 à 5)',
  'attendance.coming': "Vient à l'atelier",
  'attendance.reason': "Raison de l'absence",
  'participant.next_step': 'La suite du parcours',
  'participant.contact_later': 'Accord pour un contact plus tard',
};

const ANSWERS = {
  yes: 'oui', no: 'non', childcare: 'garde des enfants', transport: 'transport', health: 'santé', other: 'autre',
};

const CHANNELS = { console: 'console', sms: 'SMS', whatsapp: 'WhatsApp', telegram: 'Telegram' };

const LANGUAGES = { fr: 'français', en: 'anglais', ar: 'arabe' };

const or = (table, id) => table[id] ?? id;

export const barrierLabel = (id) => or(BARRIERS, id);
export const barrierIds = Object.keys(BARRIERS);
export const sessionKindLabel = (id) => or(SESSION_KINDS, id);
export const sessionKindIds = Object.keys(SESSION_KINDS);
export const alertTitle = (kind) => ALERTS[kind]?.[0] ?? kind;
export const alertMeaning = (kind) => ALERTS[kind]?.[1] ?? '';
export const alertAdvice = (kind) => ALERTS[kind]?.[2] ?? '';
export const alertStateLabel = (state) => or(ALERT_STATES, state);
export const messageKindLabel = (kind) => or(MESSAGE_KINDS, kind);
export const messageStatusLabel = (status) => or(MESSAGE_STATUSES, status);
export const exclusionLabel = (reason) => or(EXCLUSIONS, reason);
export const dialogLabel = (id) => or(DIALOGS, id);
export const questionLabel = (id) => or(QUESTIONS, id);
export const answerLabel = (value) => or(ANSWERS, value);
export const channelLabel = (id) => or(CHANNELS, id);
export const languageLabel = (id) => or(LANGUAGES, id);

// An alert's technical detail ("dialog checkin, at alert_low"), in French when it names a dialog.
export function alertDetail(detail) {
  const m = /^dialog ([\w-]+)/.exec(detail || '');
  return m ? `Dialogue : ${dialogLabel(m[1])}` : detail || '';
}

// The sending window warning of a message plan, in French.
// "outside the sending window (2026-12-02 21:00): it will leave at once; the next opening is 2026-12-03 09:00"
export function warningText(warning) {
  const m = /outside the sending window \(([^)]+)\).*next opening is (\S+ \S+)/.exec(warning);
  if (m) return `Hors des heures d'envoi (${m[1]}) : le message partira tout de suite. Prochaine ouverture : ${m[2]}.`;
  if (/nobody would receive/.test(warning)) return 'Personne ne recevrait ce message.';
  return warning;
}

// The next opening named by the warning ("2026-12-03 09:00"), to send then instead.
export function nextOpening(warnings) {
  for (const w of warnings || []) {
    const m = /next opening is (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})/.exec(w);
    if (m) return `${m[1]}T${m[2]}`;
  }
  return null;
}
