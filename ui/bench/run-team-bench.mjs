// Runs bench/team.html in headless Chromium (Debian's `chromium`) against Vite's dev server
// and prints the page's `figure:` lines. Usage (in ui/): node bench/run-team-bench.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const browser = process.env.CHROMIUM ?? 'chromium';
const LIMIT_MS = 60_000;

const server = await createServer({
  root,
  configFile: join(root, 'vite.config.ts'),
  server: { host: '127.0.0.1', port: 0, strictPort: false },
  logLevel: 'error',
});
await server.listen();
const { port } = server.httpServer.address();
const profile = mkdtempSync(join(tmpdir(), 'ringside-bench-'));

const chromium = spawn(
  browser,
  [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--window-size=420,720',
    '--enable-logging=stderr',
    '--v=0',
    `--user-data-dir=${profile}`,
    `http://127.0.0.1:${port}/bench/team.html`,
  ],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);

let finished = false;
let exitCode = 0;
const done = (code) => {
  if (finished) return;
  finished = true;
  exitCode = code;
  chromium.kill('SIGTERM');
};
// Clean up only once the browser is gone (it still writes to its profile until then).
chromium.on('exit', () => {
  if (!finished) {
    console.error('bench: chromium exited before the bench finished');
    finished = true;
    exitCode = 1;
  }
  clearTimeout(limit);
  void server.close().then(() => {
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    process.exit(exitCode);
  });
});
const limit = setTimeout(() => {
  console.error('bench: no result within the time limit');
  done(1);
}, LIMIT_MS);

let buffered = '';
chromium.stderr.on('data', (chunk) => {
  buffered += chunk.toString();
  const lines = buffered.split('\n');
  buffered = lines.pop() ?? '';
  for (const line of lines) {
    // Chromium logs console messages as `…:INFO:CONSOLE:12] "text", source: url (12)`.
    const message = /CONSOLE[:(]\d+\)?\] "(.*)", source:/.exec(line)?.[1] ?? null;
    if (message == null) continue;
    if (message.startsWith('figure:')) console.log(message);
    if (message === 'bench: done') done(0);
  }
});
