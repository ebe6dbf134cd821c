// Starts a split deployment for the end-to-end tests: the four roles on S3 (s3rver), SQS
// (fauxqs) and PostgreSQL, through the integration tests' harness (`python3 -m harness.cluster`,
// tests/integration/harness/cluster.py), with the built web app served by the gateway and the
// same first admin as `kinora serve` (server.ts). The bucket answers CORS (tests/peers/peers.py),
// so the page, on the gateway's origin, can PUT upload parts straight to it.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_PASSWORD, ADMIN_USER, kinoraBinary } from './server';

export interface SplitCluster {
  /** The gateway, which serves the web app and the API. */
  url: string;
  /** s3rver, where the originals are (`{s3Endpoint}/{bucket}/{key}`, readable without signing). */
  s3Endpoint: string;
  bucket: string;
  /** The roles' logs (JSON lines), for failure messages. */
  log: () => string;
  stop: () => Promise<void>;
}

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const START_TIMEOUT_MS = 90_000;

/** `processor`: also run a processor (without one, uploads stay UPLOADED). */
export async function startSplitCluster(options: { processor?: boolean } = {}): Promise<SplitCluster> {
  const webDir = process.env.KINORA_E2E_WEB_DIR ?? join(repoRoot, 'web', 'dist');
  if (!existsSync(join(webDir, 'index.html'))) {
    throw new Error(`${webDir}/index.html is missing: run \`npm run build\` first`);
  }
  if (!existsSync(join(repoRoot, 'tests', 'peers', 'node_modules', 's3rver'))) {
    throw new Error('tests/peers/node_modules is missing: run `npm ci --prefix tests/peers` first');
  }
  const args = ['-m', 'harness.cluster', '--binary', kinoraBinary()];
  if (options.processor) args.push('--processor');
  for (const setting of [
    `KINORA_WEB_DIR=${webDir}`,
    `KINORA_ADMIN_USER=${ADMIN_USER}`,
    `KINORA_ADMIN_PASSWORD=${ADMIN_PASSWORD}`,
    'KINORA_LOG_LEVEL=info',
  ]) {
    args.push('--env', setting);
  }
  const child = spawn('python3', args, {
    cwd: join(repoRoot, 'tests', 'integration'),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-50_000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const started = await new Promise<{ url: string; s3_endpoint: string; bucket: string; root: string }>((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      fail(new Error(`the split cluster did not start in ${START_TIMEOUT_MS / 1000} s:\n${stderr}`));
    }, START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        ok(JSON.parse(line) as { url: string; s3_endpoint: string; bucket: string; root: string });
      } catch {
        fail(new Error(`unexpected output from harness.cluster: ${line}\n${stderr}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`harness.cluster exited with ${code}:\n${stderr}`));
    });
  });

  const log = () => {
    try {
      return readdirSync(started.root)
        .filter((f) => f.endsWith('.log'))
        .map((f) => `--- ${f} ---\n${readFileSync(join(started.root, f), 'utf8').slice(-20_000)}`)
        .join('\n');
    } catch {
      return stderr;
    }
  };
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.stdin.end(); // the harness stops the roles and the peers, and removes its directory
    const timer = setTimeout(() => child.kill('SIGTERM'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  return { url: started.url, s3Endpoint: started.s3_endpoint, bucket: started.bucket, log, stop };
}
