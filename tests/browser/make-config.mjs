// Writes a configuration for the browser tests: the example configuration
// (config/relais.json) with its database in a work folder, a free loopback port,
// the repository's web/ folder and the phone simulator on. Content folders and
// calendar files are made absolute, so the copy reads the repository's own.
// Usage: node make-config.mjs <repository root> <work folder>; prints the port.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';

const [root, work] = process.argv.slice(2).map((p) => resolve(p));
if (!root || !work) {
  console.error('usage: node make-config.mjs <repository root> <work folder>');
  process.exit(2);
}
const configDir = join(root, 'config');
// The example file is JSON with whole-line // comments.
const text = readFileSync(join(configDir, 'relais.json'), 'utf8')
  .split('\n').filter((line) => !/^\s*\/\//.test(line)).join('\n');
const config = JSON.parse(text);

const fromConfig = (p) => (isAbsolute(p) ? p : join(configDir, p));

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

const port = await freePort();
config.server = { ...config.server, bind: '127.0.0.1', port };
config.database = { ...config.database, path: join(work, 'relais.db') };
config.web = { dir: join(root, 'web') };
config.simulator = { enabled: true };
for (const key of ['dialogs_dir', 'templates_dir', 'tips_dir'])
  config[key] = fromConfig(config[key] ?? key.replace('_dir', ''));
for (const source of config.calendars?.sources ?? [])
  if (source.file) source.file = fromConfig(source.file);
config.log = { level: 'warn' };

writeFileSync(join(work, 'relais.json'), JSON.stringify(config, null, 2));
console.log(port);
