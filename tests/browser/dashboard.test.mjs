// The coaches' dashboard in headless Chromium, against a real `relais serve` (started by
// run.sh with the example participants and two tokens). The tests run in order and share
// the server: what one sends, the next sees.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { launch, newPage, signIn, apiGet } from './browser.mjs';

const base = process.env.RELAIS_URL;
const g1Token = process.env.RELAIS_G1_TOKEN;      // Nadia, cohort g1
const adminToken = process.env.RELAIS_ADMIN_TOKEN;
assert.ok(base && g1Token && adminToken, 'RELAIS_URL, RELAIS_G1_TOKEN and RELAIS_ADMIN_TOKEN are set by run.sh');

let browser;
let page;
const problems = [];  // CSP violations, script errors: none is expected anywhere
let ids;              // participant ids by first name (admin's view)

before(async () => {
  browser = await launch();
  page = await newPage(browser);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|404)/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  const { participants } = await apiGet(base, '/api/participants', adminToken);
  ids = Object.fromEntries(participants.map((p) => [p.first_name, p.id]));
});

after(async () => {
  await browser?.close();
});

const heading = (name) => page.getByRole('heading', { level: 1, name });

test('a wrong token is refused with a French message', async () => {
  await page.goto(`${base}/`);
  await heading('Connexion').waitFor();
  await page.getByLabel('Votre jeton d’accès').fill('rl_ce_jeton_n_existe_pas');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /Jeton invalide ou révoqué/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('relais.token')), null);
});

test('a coach signs in and sees her cohort at a glance', async () => {
  await signIn(page, base, g1Token);
  assert.match(await page.locator('#who-name').textContent(), /Nadia/);
  const cohort = page.locator('[data-cohort="g1"]');
  await cohort.waitFor();
  assert.match(await cohort.textContent(), /Groupe 1/);
  // The example calendar's next g1 workshop, and who said she comes (nobody yet).
  assert.match(await cohort.textContent(), /Prochaine séance\s*Atelier mobilité/);
  assert.match(await cohort.textContent(), /Confirmations : 0 oui, 0 non, 3 sans réponse/);
  assert.equal(await page.locator('[data-cohort="g2"]').count(), 0);
  // The simulator is on in this configuration, so its link is shown.
  assert.ok(await page.getByRole('link', { name: 'Simulateur de téléphone' }).isVisible());
});

test('a g1 coach cannot reach g2 through the pages', async () => {
  await page.goto(`${base}/#/participants`);
  await heading('Participantes').waitFor();
  const rows = page.locator('table tbody tr');
  await rows.first().waitFor();
  const names = await page.locator('table tbody th').allTextContents();
  assert.deepEqual(names.sort(), ['Amina', 'Leïla', 'Sylvie']);
  const groups = await page.getByLabel('Groupe', { exact: true }).locator('option').allTextContents();
  assert.ok(!groups.some((g) => g.includes('g2')), `no g2 among ${groups}`);

  await page.goto(`${base}/#/participants/${ids.Fatima}`);
  await heading('Participante introuvable').waitFor();
  assert.match(await page.getByRole('alert').textContent(), /introuvable/);
  await page.goto(`${base}/#/participants/${ids.Fatima}/conversation`);
  await heading('Participante introuvable').waitFor();

  await page.goto(`${base}/#/simulateur`);
  await page.locator('.phone').waitFor();
  const phones = await page.getByLabel('Participante').locator('option').allTextContents();
  assert.ok(phones.length === 3 && !phones.some((p) => /Fatima|Céline|Marie-Claire/.test(p)), `phones: ${phones}`);
});

test('a group message is sent after its preview', async () => {
  await page.goto(`${base}/#/message`);
  await heading('Message de groupe').waitFor();
  await page.getByLabel('Message', { exact: true }).fill('Bonjour {first_name}, atelier mardi à 14h au Cèdre.');
  assert.equal(await page.getByRole('button', { name: /^Envoyer/ }).count(), 0, 'no send button before the preview');
  await page.getByRole('button', { name: 'Voir l’aperçu' }).click();
  const preview = page.locator('section.preview');
  await preview.getByRole('heading', { name: 'Aperçu avant envoi' }).waitFor();
  const text = await preview.textContent();
  assert.match(text, /3 destinataires/);
  assert.match(text, /Bonjour Amina, atelier mardi à 14h au Cèdre\./);
  assert.match(text, /coût estimé 0,15\s€/);
  assert.doesNotMatch(text, /\b(null|undefined|NaN)\b/);
  // Changing the text withdraws the preview: what is sent is what was shown.
  await page.getByLabel('Message', { exact: true }).fill('Bonjour {first_name}, atelier mardi à 14h au Cèdre !');
  assert.ok(await preview.isHidden());
  await page.getByRole('button', { name: 'Voir l’aperçu' }).click();
  await page.getByRole('button', { name: 'Envoyer à 3 personnes' }).click();
  await preview.getByText('Message envoyé à 3 personnes').waitFor();
  const { broadcasts } = await apiGet(base, '/api/broadcasts', adminToken);
  assert.equal(broadcasts.length, 1);
  assert.equal(broadcasts[0].text, 'Bonjour {first_name}, atelier mardi à 14h au Cèdre !');
  assert.equal(broadcasts[0].recipients, 3);
  // The history lists it.
  await page.locator('section[aria-labelledby="envoyes"] table').getByText('au Cèdre !').waitFor();
});

test('her reply typed in the simulator shows in the conversation view', async () => {
  await page.goto(`${base}/#/simulateur`);
  await heading('Simulateur de téléphone').waitFor();
  await page.getByLabel('Participante').selectOption({ label: 'Amina (g1)' });
  await page.getByLabel('Réponse de Amina').fill('Bonjour, oui merci');
  await page.locator('form.phone-reply').getByRole('button', { name: 'Envoyer' }).click();
  await page.locator('.phone .bubble[data-direction="in"]', { hasText: 'Bonjour, oui merci' }).waitFor();

  await page.getByRole('link', { name: 'voir sa conversation côté coach' }).click();
  await heading('Conversation avec Amina').waitFor();
  await page.locator('.bubble[data-direction="in"]', { hasText: 'Bonjour, oui merci' }).waitFor();
  // The group message is in her conversation too.
  await page.locator('.bubble[data-kind="broadcast"]', { hasText: 'Bonjour Amina' }).waitFor();
});

test('the demo clock moves forward until a reminder reaches her phone', async () => {
  await page.goto(`${base}/#/simulateur`);
  await heading('Simulateur de téléphone').waitFor();
  await page.getByLabel('Participante').selectOption({ label: 'Amina (g1)' });
  const clockBefore = await page.locator('.clock').textContent();
  const advance = page.getByRole('button', { name: 'Avancer l’horloge jusqu’au prochain message' });
  const reminder = page.locator('.phone .bubble[data-kind="reminder"]');
  for (let i = 0; i < 40 && (await reminder.count()) === 0; i += 1) {
    await advance.click();
    await page.waitForFunction(() => !document.getElementById('avancer').disabled);
    await reminder.first().waitFor({ timeout: 2500 }).catch(() => {});
  }
  assert.ok(await reminder.count() > 0, 'a reminder arrived within 40 moves of the clock');
  assert.match(await reminder.first().textContent(), /Rappel/);
  assert.notEqual(await page.locator('.clock').textContent(), clockBefore);
  assert.match(await page.locator('.clock').textContent(), /Heure de la démonstration : \S+ \d+ \S+ 2026/);

  // The first one is the question the day before the workshop: she answers, and the
  // coach's side shows it.
  assert.match(await reminder.first().textContent(), /venez-vous/);
  await page.locator('.quick').getByRole('button', { name: 'Répondre OUI' }).click();
  await page.locator('.phone .bubble[data-direction="in"]', { hasText: 'OUI' }).waitFor();
  await page.goto(`${base}/#/groupes`);
  const cohort = page.locator('[data-cohort="g1"]');
  await cohort.getByText('Confirmations : 1 oui').waitFor();
  assert.match(await cohort.locator('ul.confirmations').textContent(), /Amina : vient/);
});

test('an alert is marked read, then handled', async () => {
  // Sylvie asks for a call from her phone.
  await page.goto(`${base}/#/simulateur`);
  await page.getByLabel('Participante').selectOption({ label: 'Sylvie (g1)' });
  await page.getByLabel('Réponse de Sylvie').fill('COACH');
  await page.locator('form.phone-reply').getByRole('button', { name: 'Envoyer' }).click();
  await page.locator('.phone .bubble[data-direction="in"]', { hasText: 'COACH' }).waitFor();

  await page.goto(`${base}/#/alertes`);
  const card = page.locator('article.alert', { hasText: 'Demande d’appel' }).filter({ hasText: 'Sylvie' });
  await card.waitFor();
  assert.match(await card.textContent(), /non lue/);
  assert.match(await card.textContent(), /Que faire/);
  await card.getByRole('button', { name: 'Marquer comme lue' }).click();
  await card.locator('.tag', { hasText: /^lue$/ }).waitFor();
  await card.getByRole('button', { name: 'Marquer comme traitée' }).click();
  await card.locator('.tag', { hasText: 'traitée' }).waitFor();
  assert.match(await card.textContent(), /Traitée par Nadia/);
  const { alerts } = await apiGet(base, `/api/alerts?participant=${ids.Sylvie}&kind=callback_requested`, adminToken);
  assert.equal(alerts[0].state, 'acknowledged');
  assert.equal(alerts[0].handled_by, 'Nadia');
});

test('a session is created, moved and cancelled from the calendar', async () => {
  // Four weeks ahead: inside the page's six weeks, and far enough that nobody is told.
  const day = new Date();
  day.setDate(day.getDate() + 28);
  const date = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
  await page.goto(`${base}/#/calendrier`);
  await heading('Calendrier des séances').waitFor();
  // A calendar's workshop is changed in the calendar, not here.
  await page.getByText('à changer dans l’agenda').first().waitFor();
  await page.getByText('Créer une séance').click();
  await page.getByLabel('Titre').fill('Atelier CV');
  await page.getByLabel('Type de séance').selectOption('collective-coaching');
  await page.getByLabel('Début').fill(`${date}T14:00`);
  await page.getByLabel('Fin', { exact: true }).fill(`${date}T16:00`);
  await page.getByLabel('Lieu', { exact: true }).selectOption('cedre-chenove');
  await page.getByLabel('Précisions sur le lieu (ou autre lieu)').fill('salle B');
  await page.getByRole('button', { name: 'Créer la séance' }).click();
  await page.locator('#status', { hasText: 'Séance « Atelier CV » créée' }).waitFor();
  const item = page.locator('article.session', { hasText: 'Atelier CV' });
  await item.getByText('14h00 – 16h00').waitFor();
  await item.getByText('Le Cèdre · salle B').waitFor();

  await item.getByRole('button', { name: 'Déplacer « Atelier CV »' }).click();
  await item.getByLabel('Nouveau début').fill(`${date}T15:00`);
  await item.getByLabel('Nouvelle fin').fill(`${date}T17:00`);
  await item.getByRole('button', { name: 'Enregistrer' }).click();
  await page.locator('#status', { hasText: 'Séance déplacée' }).waitFor();
  await item.getByText('15h00 – 17h00').waitFor();

  await item.getByRole('button', { name: 'Annuler la séance « Atelier CV »' }).click();
  const dialog = page.getByRole('dialog', { name: 'Annuler la séance ?' });
  await dialog.getByRole('button', { name: 'Annuler la séance' }).click();
  await page.locator('#status', { hasText: 'Séance annulée' }).waitFor();
  await item.locator('.tag', { hasText: 'annulée' }).waitFor();
  const { sessions } = await apiGet(base, '/api/sessions', adminToken);
  assert.equal(sessions.find((x) => x.title === 'Atelier CV').cancelled, true);
});

test('the indicators page draws its charts and exports the CSV', async () => {
  await page.goto(`${base}/#/indicateurs`);
  await heading('Indicateurs').waitFor();
  await page.locator('svg.chart').first().waitFor();
  assert.ok(await page.locator('svg.chart').count() >= 5);
  for (const svg of await page.locator('svg.chart').all()) {
    assert.equal(await svg.getAttribute('role'), 'img');
    assert.ok((await svg.locator('title').textContent()).length > 0);
  }
  // Messages were sent by now: the channel chart has bars.
  const channels = page.locator('figure', { hasText: 'Messages par canal' });
  assert.ok(await channels.locator('svg rect').count() > 4);
  const sent = await page.locator('dl.figures div', { hasText: 'Messages envoyés' }).locator('dd').textContent();
  assert.ok(Number(sent) >= 3, `messages sent: ${sent}`);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Télécharger en CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'indicateurs.csv');
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  assert.match(Buffer.concat(chunks).toString('utf8'), /^section,cohort,session_kind,channel,item,measure,value/);
});

test('her data are erased after a confirmation that says it cannot be undone', async () => {
  await page.goto(`${base}/#/participants/${ids['Leïla']}`);
  await heading('Leïla').waitFor();
  await page.getByRole('button', { name: 'Effacer ses données…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Effacer les données de Leïla ?' });
  assert.match(await dialog.textContent(), /Cela ne peut pas être annulé/);
  await dialog.getByRole('button', { name: 'Ne rien effacer' }).click();
  assert.equal((await apiGet(base, `/api/participants/${ids['Leïla']}`, adminToken)).first_name, 'Leïla');

  await page.getByRole('button', { name: 'Effacer ses données…' }).click();
  await dialog.getByRole('button', { name: 'Effacer définitivement' }).click();
  await heading('Participantes').waitFor();
  await page.locator('#status', { hasText: 'Données effacées' }).waitFor();
  await page.locator('table tbody tr').first().waitFor();
  assert.deepEqual((await page.locator('table tbody th').allTextContents()).sort(), ['Amina', 'Sylvie']);
  assert.ok((await apiGet(base, `/api/participants/${ids['Leïla']}`, adminToken)).erased_at);
});

test('the main pages fit a 360 px phone screen', async () => {
  const phone = await newPage(browser, 360, 740);
  phone.on('pageerror', (e) => problems.push(`page error (phone): ${e.message}`));
  await signIn(phone, base, g1Token);
  for (const hash of ['#/groupes', '#/calendrier', '#/participants', `#/participants/${ids.Amina}/conversation`,
                      '#/message', '#/alertes', '#/retours', '#/indicateurs', '#/simulateur']) {
    await phone.goto(`${base}/${hash}`);
    await phone.locator('h1').waitFor();
    await phone.waitForLoadState('networkidle').catch(() => {});
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${hash} is ${width} px wide`);
    assert.doesNotMatch(await phone.locator('main').textContent(), /\b(null|undefined|NaN)\b/, hash);
  }
  // The menu folds behind a button that says whether it is open.
  const toggle = phone.getByRole('button', { name: 'Menu' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.ok(await phone.getByRole('link', { name: 'Alertes' }).isHidden());
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await phone.getByRole('link', { name: 'Alertes' }).click();
  await phone.getByRole('heading', { level: 1, name: 'Alertes' }).waitFor();
  await phone.close();
});

// axe-core (Deque's accessibility rules) on every page, WCAG 2.1 A and AA. Its script is
// injected, which the pages' policy forbids: this check alone runs with the policy off.
test('every page passes the WCAG 2.1 AA rules of axe-core', async () => {
  const axe = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  const context = await browser.newContext({ bypassCSP: true, locale: 'fr-FR', timezoneId: 'Europe/Paris',
                                              viewport: { width: 1280, height: 900 } });
  const audited = await context.newPage();
  await signIn(audited, base, g1Token);
  const found = [];
  for (const hash of ['#/groupes', '#/calendrier', '#/participants', `#/participants/${ids.Amina}`,
                      `#/participants/${ids.Amina}/conversation`, '#/message', '#/alertes', '#/retours',
                      '#/indicateurs', '#/simulateur']) {
    await audited.goto(`${base}/${hash}`);
    await audited.locator('h1').waitFor();
    await audited.waitForLoadState('networkidle').catch(() => {});
    await audited.addScriptTag({ path: axe });
    const violations = await audited.evaluate(async () => {
      const result = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
      return result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0].target.join(' ')}`);
    });
    for (const v of violations) found.push(`${hash}: ${v}`);
  }
  await context.close();
  assert.deepEqual(found, []);
});

test('signing out forgets the token', async () => {
  await page.goto(`${base}/#/groupes`);
  await heading('Vos groupes').waitFor();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await heading('Connexion').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('relais.token')), null);
  await page.goto(`${base}/#/participants`);
  await heading('Connexion').waitFor();
});

test('no page broke the Content Security Policy or threw', () => {
  assert.deepEqual(problems, []);
});
