// Starts a real `kinora serve` for the end-to-end tests: a free loopback port, a throw-away data
// directory, one processing worker, the built web app (web/dist) served at `/`, and a first admin
// account with a known password (ADMIN_USER / ADMIN_PASSWORD, docs/auth.md "Signing in").
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface KinoraServer {
  url: string;
  dataDir: string;
  /** Everything the server wrote to stderr (JSON log lines), for failure messages. */
  log: () => string;
  stop: () => Promise<void>;
}

const webRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** The first admin the server creates on an empty catalog (KINORA_ADMIN_USER / _PASSWORD). */
export const ADMIN_USER = 'admin';
export const ADMIN_PASSWORD = process.env.KINORA_E2E_ADMIN_PASSWORD ?? 'e2e-Admin-passw0rd-2c8f';

/** The binary under test: KINORA_BIN, else the dev build, else the release build. */
export function kinoraBinary(): string {
  const candidates = [
    process.env.KINORA_BIN,
    join(webRoot, '..', 'build', 'dev', 'apps', 'kinora', 'kinora'),
    join(webRoot, '..', 'build', 'release', 'apps', 'kinora', 'kinora'),
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no kinora binary: set KINORA_BIN (looked at ${candidates.join(', ')})`);
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`kinora serve exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${url}/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`kinora serve did not become ready in 30 s:\n${log()}`);
}

/** `env` adds to (or overrides) the server's environment, e.g. rate limits for one suite. */
export async function startKinora(env: Record<string, string> = {}): Promise<KinoraServer> {
  const webDir = process.env.KINORA_E2E_WEB_DIR ?? join(webRoot, 'dist');
  if (!existsSync(join(webDir, 'index.html'))) {
    throw new Error(`${webDir}/index.html is missing: run \`npm run build\` first`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'kinora-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let stderr = '';
  const child = spawn(kinoraBinary(), ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    env: {
      ...process.env,
      KINORA_WEB_DIR: webDir,
      KINORA_WORKERS: '1',
      KINORA_LOG_LEVEL: 'info',
      KINORA_ADMIN_USER: ADMIN_USER,
      KINORA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-200_000);
  });
  const log = () => stderr;
  await waitReady(url, child, log);

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, dataDir, log, stop };
}
