// The web app's API types, generated from the OpenAPI document by npm openapi-typescript.
//
//   node scripts/api-types.mjs           check: regenerate into a temporary file and fail when it
//                                        differs from the committed src/api/schema.gen.ts
//   node scripts/api-types.mjs --write   regenerate src/api/schema.gen.ts
//
// `npm run api:check` / `npm run api:generate` run these; CTest runs the check as web_api_types.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const spec = join(web, '..', 'api', 'openapi.json');
const committed = join(web, 'src', 'api', 'schema.gen.ts');
const cli = join(web, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
const write = process.argv.includes('--write');

/** Returns the exit status. */
function main(dir) {
  const fresh = join(dir, 'schema.gen.ts');
  // Run from web/ with the same relative input path either way, so the output never depends on
  // where the check runs.
  const run = spawnSync(process.execPath, [cli, relative(web, spec), '--output', fresh], {
    cwd: web,
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    console.error(`openapi-typescript failed on ${relative(web, spec)}`);
    return 1;
  }
  if (write) {
    copyFileSync(fresh, committed);
    console.log(`wrote ${relative(web, committed)} from ${relative(web, spec)}`);
    return 0;
  }
  const want = readFileSync(fresh, 'utf8');
  const have = existsSync(committed) ? readFileSync(committed, 'utf8') : null;
  if (have === want) return 0;

  if (have === null) {
    console.error(`${relative(web, committed)} is missing.`);
  } else {
    const a = have.split('\n');
    const b = want.split('\n');
    let line = 0;
    while (line < a.length && line < b.length && a[line] === b[line]) line += 1;
    console.error(`${relative(web, committed)} is not what ${relative(web, spec)} generates.`);
    console.error(`First difference at line ${line + 1}:`);
    console.error(`  committed: ${a[line] ?? '(end of file)'}`);
    console.error(`  generated: ${b[line] ?? '(end of file)'}`);
  }
  console.error('Run `npm run api:generate` in web/ and commit the result (never edit the file by hand).');
  return 1;
}

const dir = mkdtempSync(join(tmpdir(), 'kinora-api-types-'));
try {
  process.exitCode = main(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
