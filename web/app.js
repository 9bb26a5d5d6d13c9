// The dashboard's shell: sign-in and sign-out, the menu, and the hash routes
// (#/groupes, #/participants/12…). Each page is a function of pages' modules that fills
// its container; it gets a signal that is aborted when the coach leaves the page.
import { api, token, whenUnauthorized, ApiError } from './api.js';
import { h, clear, announce, clearOldAnnouncement, errorBox } from './dom.js';
import { cohortsPage } from './cohorts.js';
import { calendarPage } from './calendar.js';
import { participantsPage, participantPage, conversationPage } from './participants.js';
import { broadcastPage } from './broadcast.js';
import { alertsPage, checkinsPage } from './follow.js';
import { indicatorsPage } from './indicators.js';
import { simulatorPage } from './simulator.js';

const state = {
  me: null,            // GET /api/me of the token
  cohorts: null,       // a promise of [{id, name}], the cohorts the token sees
  simulator: false,    // whether /simulator/api/state answers
  leave: null,         // aborts the current page's work
};

const routes = [
  ['connexion', signInPage, { public: true }],
  ['groupes', cohortsPage],
  ['calendrier', calendarPage],
  ['participants', participantsPage],
  ['participants/:id', participantPage],
  ['participants/:id/conversation', conversationPage],
  ['message', broadcastPage],
  ['retours', checkinsPage],
  ['alertes', alertsPage],
  ['indicateurs', indicatorsPage],
  ['simulateur', simulatorPage],
];

function match(path) {
  const parts = path.split('/').filter(Boolean);
  for (const [pattern, page, options = {}] of routes) {
    const want = pattern.split('/');
    if (want.length !== parts.length) continue;
    const params = {};
    if (want.every((w, i) => (w.startsWith(':') ? (params[w.slice(1)] = parts[i], true) : w === parts[i])))
      return { pattern, page, options, params };
  }
  return null;
}

const pageRoot = () => document.getElementById('page');

// What every page receives.
function context(params, signal) {
  // A fresh container: work an old page still finishes lands in a detached element.
  const container = h('div');
  clear(pageRoot()).append(container);
  return {
    params,
    signal,
    me: state.me,
    container,
    simulator: state.simulator,
    // The page's <h1> and the window's title.
    title(text) {
      document.title = `${text} — Relais`;
      let h1 = container.querySelector('h1');
      if (!h1) {
        h1 = h('h1', { tabindex: '-1' });
        container.prepend(h1);
      }
      h1.textContent = text;
      return h1;
    },
    cohorts: loadCohorts,
    go: (hash) => { location.hash = hash; },
  };
}

async function render() {
  state.leave?.abort();
  const controller = new AbortController();
  state.leave = controller;
  const path = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  if (!path) {
    location.replace(state.me ? '#/groupes' : '#/connexion');
    return;
  }
  const found = match(path);
  if (found && !found.options.public && !state.me) {
    location.replace('#/connexion');
    return;
  }
  if (found?.pattern === 'connexion' && state.me) {
    location.replace('#/groupes');
    return;
  }
  markMenu(path);
  closeMenu();
  clearOldAnnouncement();
  const ctx = context(found?.params ?? {}, controller.signal);
  const page = pageRoot();
  page.setAttribute('aria-busy', 'true');
  try {
    if (!found) notFoundPage(ctx);
    else await found.page(ctx);
  } catch (e) {
    if (e.name === 'AbortError' || controller.signal.aborted) return;
    showPageError(ctx, e);
  } finally {
    page.removeAttribute('aria-busy');
  }
  if (!controller.signal.aborted) focusHeading(page);
}

function focusHeading(page) {
  const h1 = page.querySelector('h1');
  if (h1 && !page.contains(document.activeElement)) h1.focus({ preventScroll: false });
}

function showPageError(ctx, e) {
  if (!ctx.container.querySelector('h1')) ctx.title('Erreur');
  const message = e instanceof ApiError ? e.message : 'Une erreur est survenue dans la page.';
  ctx.container.append(errorBox(message),
    h('p', {}, h('button', { type: 'button', class: 'button', onclick: render }, 'Réessayer')));
}

function notFoundPage(ctx) {
  ctx.title('Page introuvable');
  ctx.container.append(h('p', {}, "Cette page n'existe pas. ", h('a', { href: '#/groupes' }, 'Revenir aux groupes')));
}

// --- Sign-in ---------------------------------------------------------------------------

function signInPage(ctx) {
  ctx.title('Connexion');
  const input = h('input', { type: 'password', id: 'jeton', name: 'token', autocomplete: 'off', spellcheck: 'false',
                             required: true, 'aria-describedby': 'jeton-aide', class: 'wide' });
  const errorSlot = h('div');
  const button = h('button', { type: 'submit', class: 'button' }, 'Se connecter');
  const form = h('form', { class: 'card narrow', novalidate: true },
    h('p', {}, 'Le tableau de bord montre vos groupes, vos participantes et leurs messages.'),
    h('div', { class: 'field' },
      h('label', { for: 'jeton' }, 'Votre jeton d’accès'),
      h('p', { class: 'hint', id: 'jeton-aide' },
        'Collez le jeton que l’équipe technique vous a donné : il commence par « rl_ ». Il reste valable jusqu’à la fermeture de cet onglet.'),
      input),
    errorSlot,
    button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(errorSlot);
    const value = input.value.trim();
    if (!value) {
      errorSlot.append(errorBox('Collez votre jeton dans le champ ci-dessus.'));
      input.focus();
      return;
    }
    button.disabled = true;
    announce('Vérification du jeton…');
    try {
      const me = await api.get('/api/me', { explicitToken: value });
      token.set(value);
      await signedIn(me);
      announce(`Bienvenue ${me.name}.`, 'success');
      ctx.go('#/groupes');
    } catch (e) {
      announce('');
      errorSlot.append(errorBox(e.status === 401 ? 'Jeton invalide ou révoqué. Vérifiez-le, ou demandez-en un nouveau à l’équipe technique.' : e.message));
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
  ctx.container.append(form);
}

// The cohorts the token sees, [{id, name}], read once (asked again after a failure).
function loadCohorts() {
  if (!state.cohorts) {
    state.cohorts = api.get('/api/cohorts').then((r) => r.cohorts.map(({ id, name }) => ({ id, name })));
    state.cohorts.catch(() => { state.cohorts = null; });
  }
  return state.cohorts;
}

async function signedIn(me) {
  state.me = me;
  state.cohorts = null;
  document.getElementById('who-name').textContent =
    `Connectée : ${me.name} — ${me.admin ? 'tous les groupes' : `groupe${me.cohorts.length > 1 ? 's' : ''} ${me.cohorts.join(', ')}`}`;
  document.getElementById('who').hidden = false;
  document.getElementById('menu').hidden = false;
  document.getElementById('menu-toggle').hidden = false;
  state.simulator = await simulatorIsOn();
  document.getElementById('menu-simulator').hidden = !state.simulator;
}

async function simulatorIsOn() {
  try {
    const r = await fetch('/simulator/api/state', { cache: 'no-store' });
    return r.ok;
  } catch {
    return false;
  }
}

function signOut(message) {
  token.clear();
  state.me = null;
  state.cohorts = null;
  for (const id of ['who', 'menu', 'menu-toggle']) document.getElementById(id).hidden = true;
  announce(message, 'info');
  if (location.hash === '#/connexion') render();
  else location.hash = '#/connexion';
}

// --- Menu ------------------------------------------------------------------------------

function markMenu(path) {
  const first = path.split('/')[0];
  for (const a of document.querySelectorAll('#menu a')) {
    if (a.getAttribute('href') === `#/${first}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function closeMenu() {
  document.getElementById('menu').classList.remove('open');
  document.getElementById('menu-toggle').setAttribute('aria-expanded', 'false');
}

function setUpMenu() {
  const toggle = document.getElementById('menu-toggle');
  toggle.addEventListener('click', () => {
    const open = document.getElementById('menu').classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.getElementById('menu').classList.contains('open')) {
      closeMenu();
      toggle.focus();
    }
  });
  document.getElementById('sign-out').addEventListener('click', () => signOut('Vous êtes déconnectée.'));
}

// --- Start -----------------------------------------------------------------------------

// Never a blank page: whatever escapes a page is said in French.
function catchEverything() {
  const say = () => announce('Une erreur est survenue dans la page. Rechargez-la ; si cela continue, prévenez l’équipe technique.', 'error');
  window.addEventListener('error', say);
  window.addEventListener('unhandledrejection', (e) => {
    if (e.reason?.name !== 'AbortError') say();
  });
}

async function start() {
  catchEverything();
  setUpMenu();
  whenUnauthorized(() => signOut('Votre jeton n’est plus valable (invalide ou révoqué) : reconnectez-vous.'));
  if (token.get()) {
    try {
      await signedIn(await api.get('/api/me'));
    } catch (e) {
      if (e.status !== 401) announce(e.message, 'error');
    }
  }
  window.addEventListener('hashchange', render);
  render();
}

start();
