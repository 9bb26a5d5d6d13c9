// Debian's Chromium, driven by playwright-core (no browser download), with the flags of
// a machine without network: shared by the tests and the screenshots script.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.RELAIS_CHROMIUM || '/usr/bin/chromium';

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage',
           '--proxy-server=direct://', '--proxy-bypass-list=*', '--lang=fr-FR',
           // This machine's network is closed: no background connections to refuse.
           '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

// A French coach's browser: locale and time zone of the programme.
export function newPage(browser, width = 1280, height = 900) {
  return browser.newPage({ viewport: { width, height }, locale: 'fr-FR', timezoneId: 'Europe/Paris',
                           acceptDownloads: true });
}

export async function signIn(page, base, token) {
  await page.goto(`${base}/#/connexion`);
  await page.getByLabel('Votre jeton d’accès').fill(token);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { level: 1, name: 'Vos groupes' }).waitFor();
}

// The API as the tests' own client (to find ids, and check what the pages did).
export async function apiGet(base, path, token) {
  const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return response.json();
}
