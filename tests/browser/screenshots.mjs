// Plays a short demonstration against a fresh `relais serve` (started by
// scripts/screenshots.sh), then saves PNGs of the dashboard's main pages, at a desktop and
// a phone width, into the folder given as argument (docs/screenshots/).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launch, newPage, signIn } from './browser.mjs';

const out = resolve(process.argv[2] ?? 'docs/screenshots');
const base = process.env.RELAIS_URL;
const g1Token = process.env.RELAIS_G1_TOKEN;
mkdirSync(out, { recursive: true });

// --- The demonstration, through the same routes the pages use -------------------------

async function call(method, path, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(`${base}${path}`, { method, headers, body: body && JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

const state = await call('GET', '/simulator/api/state');
const phoneOf = Object.fromEntries(state.participants.map((p) => [p.first_name, p.phone]));
let sequence = 0;
const say = (name, text) => call('POST', '/webhooks/console', { from: phoneOf[name], text, id: `shot-${(sequence += 1)}` });
const phoneMessages = async (name) =>
  (await call('GET', `/simulator/api/messages?phone=${encodeURIComponent(phoneOf[name])}`)).messages;

// Moves the demo clock until `name` has received a message matching `wanted` that she
// has not answered yet (bounded).
async function advanceUntil(name, wanted) {
  for (let i = 0; i < 60; i += 1) {
    const messages = await phoneMessages(name);
    const last = messages.at(-1);
    if (last && last.direction === 'out' && wanted.test(last.text)) return;
    await call('POST', '/simulator/api/advance');
    await new Promise((r) => setTimeout(r, 300));  // the dispatcher hands it to the console
  }
  throw new Error(`no message matching ${wanted} reached ${name}`);
}

const g1 = ['Amina', 'Sylvie', 'Leïla'];
await advanceUntil('Amina', /Répondez OUI/);
for (const name of [...g1, 'Fatima', 'Céline']) await say(name, 'oui');
await advanceUntil('Amina', /venez-vous/);
await say('Amina', 'oui je serai là');
await say('Sylvie', 'non');
await say('Sylvie', '2');
await advanceUntil('Amina', /Comment s'est passé/);
for (const [name, answers] of [['Amina', ['5', 'Les horaires du bus', 'non']], ['Leïla', ['2', 'Rien', 'oui', 'Pas de garde le mardi']],
  ['Sylvie', ['4', 'Le groupe', 'non']]]) {
  for (const text of answers) {
    await say(name, text);
    await new Promise((r) => setTimeout(r, 150));
  }
}
const { sessions } = await call('GET', '/api/sessions?from=2026-11-30T00:00&to=2026-12-02T00:00', undefined, g1Token);
const held = sessions.find((s) => !s.individual);
if (held) {
  for (const [name, status] of [['Amina', 'present'], ['Leïla', 'present'], ['Sylvie', 'absent']]) {
    const id = state.participants.find((p) => p.first_name === name).id;
    await call('PUT', `/api/sessions/${held.id}/attendance/${id}`, { status }, g1Token);
  }
}
await advanceUntil('Amina', /Répondez OUI ou NON/);  // the next week's attendance question
await say('Amina', 'COACH');

// --- The pictures ----------------------------------------------------------------------

const SIZES = [['desktop', 1280, 800], ['phone', 360, 740]];
const browser = await launch();
const amina = state.participants.find((p) => p.first_name === 'Amina').id;

async function shoot(page, name, size) {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, `${name}-${size}.png`), fullPage: size === 'desktop' });
  console.log(`${name}-${size}.png`);
}

for (const [size, width, height] of SIZES) {
  const page = await newPage(browser, width, height);
  await page.goto(`${base}/`);
  await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
  await shoot(page, 'sign-in', size);

  await signIn(page, base, g1Token);
  await page.evaluate(() => document.getElementById('status').replaceChildren());
  await page.locator('[data-cohort]').first().waitFor();
  await shoot(page, 'cohorts', size);

  await page.goto(`${base}/#/participants/${amina}/conversation`);
  await page.locator('.bubble').first().waitFor();
  await shoot(page, 'conversation', size);

  await page.goto(`${base}/#/message`);
  await page.getByLabel('Message', { exact: true }).fill('Bonjour {first_name}, l’atelier mobilité de mardi a lieu salle B. À mardi !');
  await page.getByRole('button', { name: 'Voir l’aperçu' }).click();
  await page.getByRole('heading', { name: 'Aperçu avant envoi' }).waitFor();
  await shoot(page, 'group-message-preview', size);

  await page.goto(`${base}/#/indicateurs`);
  await page.locator('svg.chart').first().waitFor();
  await shoot(page, 'indicators', size);

  await page.goto(`${base}/#/simulateur`);
  await page.locator('.phone .bubble').first().waitFor();
  if (size === 'phone') await page.locator('.phone').scrollIntoViewIfNeeded();
  await shoot(page, 'simulator', size);
  await page.close();
}
await browser.close();
