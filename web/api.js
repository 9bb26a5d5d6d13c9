// Calls to the coaches' API (/api/…, bearer token) and to the phone simulator
// (/simulator/api/…, no token), with a plain French message for every failure: the
// server's errors are in English and meant for the technical team.

const TOKEN_KEY = 'relais.token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(status, detail) {
    super(frenchMessage(status, detail));
    this.status = status;  // 0: no answer from the server
    this.detail = detail;  // the server's own words (English), or ''
  }
}

// What the server explains in English on a 409 or 400, said in French when it is known.
const KNOWN_DETAILS = [
  [/only she can start again/i, 'Seule elle peut reprendre les envois, en envoyant START (ou REPRENDRE).'],
  [/opted out/i, 'Elle a envoyé STOP : plus rien ne peut lui être envoyé.'],
  [/not consented/i, "Elle n'a pas donné son accord pour recevoir des messages."],
  [/number fails/i, 'Son numéro ne fonctionne pas : vérifiez-le avec elle.'],
  [/comes from the calendar/i, "Cette séance vient de l'agenda : changez-la dans l'agenda, Relais lira le changement."],
  [/session was cancelled/i, 'Cette séance est annulée : elle ne peut plus être changée.'],
  [/nobody would receive/i, 'Personne ne recevrait ce message (voir les personnes exclues).'],
  [/was erased/i, 'Cette participante a été effacée : ses données ne peuvent plus être changées.'],
  [/already enrolled/i, 'Ce numéro est déjà inscrit.'],
  [/no cohort/i, "Ce groupe n'existe pas ou n'est pas l'un des vôtres."],
  [/scheduler is not running/i, 'Le planificateur ne tourne pas : les séances ne peuvent pas être changées pour le moment.'],
  [/end: must come after start/i, 'La fin doit venir après le début.'],
  [/is not a date/i, "Une date n'est pas valide : écrivez-la sous la forme 08/12/2026 14:00."],
  [/title: /i, 'Le titre doit avoir de 1 à 200 caractères.'],
  [/at most 1600/i, 'Le message est trop long (1 600 caractères au plus, environ 10 SMS).'],
  [/text: required/i, 'Écrivez un message.'],
];

function frenchDetail(detail) {
  const known = KNOWN_DETAILS.find(([pattern]) => pattern.test(detail || ''));
  return known ? known[1] : '';
}

function frenchMessage(status, detail) {
  const known = frenchDetail(detail);
  switch (status) {
    case 0: return 'Le serveur ne répond pas. Vérifiez votre connexion, puis réessayez.';
    case 400: return known || `Une information n'est pas valide. Détail technique : ${detail || 'aucun'}`;
    case 401: return 'Jeton invalide ou révoqué. Demandez un nouveau jeton à l’équipe technique.';
    case 403: return 'Accès refusé.';
    case 404: return "Introuvable : cet élément n'existe pas, ou il n'est pas dans vos groupes.";
    case 409: return known || `Action impossible dans l'état actuel. Détail technique : ${detail || 'aucun'}`;
    case 413: return 'Le contenu envoyé est trop gros pour le serveur.';
    case 503: return known || 'Le serveur est occupé ou en train de s’arrêter. Réessayez dans un instant.';
    default:
      if (status >= 500) return 'Erreur du serveur. Réessayez ; si cela continue, prévenez l’équipe technique.';
      return `Réponse inattendue du serveur (code ${status}).`;
  }
}

// Called when the token is refused (set by the app: it signs out).
let onUnauthorized = () => {};
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

async function send(path, { method = 'GET', body, auth = true, signal, headers = {}, raw = false, explicitToken } = {}) {
  const all = { Accept: raw ? '*/*' : 'application/json', ...headers };
  const bearer = explicitToken ?? (auth ? token.get() : null);
  if (bearer) all.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) all['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers: all, signal, cache: 'no-store',
                                   body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, e.message);
  }
  if (!response.ok) {
    let detail = '';
    try { detail = (await response.json()).error || ''; } catch { /* not JSON: no detail */ }
    if (response.status === 401 && auth && explicitToken === undefined) onUnauthorized();
    throw new ApiError(response.status, detail);
  }
  if (raw) return response;
  try {
    return await response.json();
  } catch {
    throw new ApiError(502, 'the answer is not JSON');
  }
}

export const api = {
  get: (path, options) => send(path, options),
  post: (path, body, options) => send(path, { ...options, method: 'POST', body }),
  patch: (path, body, options) => send(path, { ...options, method: 'PATCH', body }),
  del: (path, options) => send(path, { ...options, method: 'DELETE' }),
  raw: (path, options) => send(path, { ...options, raw: true }),
};

// "?a=1&b=2" from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined) q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : '';
}
