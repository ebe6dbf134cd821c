// The reference tus client of the integration tests: tus-js-client 4 (installed in tests/peers)
// through its Node API, against Kinora's /api/uploads/ (docs/uploads.md).
//
//   node tests/integration/tus/upload.mjs --endpoint http://127.0.0.1:PORT/api/uploads/ \
//        --file clip.mp4 [--token kin_…] [--chunk-size BYTES] [--stop-after BYTES] \
//        [--resume-url URL] [--filename NAME] [--title T] [--visibility V] \
//        [--retry-delays 0,1000,3000 | --retry-delays none] [--buffer] [--rate BYTES_PER_S]
//
// Every option can also come from the environment: TUS_ENDPOINT, TUS_FILE, TUS_TOKEN,
// TUS_CHUNK_SIZE, TUS_STOP_AFTER, TUS_RESUME_URL, TUS_FILENAME, TUS_TITLE, TUS_VISIBILITY,
// TUS_RETRY_DELAYS, TUS_BUFFER=1, TUS_RATE (argv wins). --rate sends the file's bytes at most
// that fast (a slow uplink: a test can kill the server while a PATCH is streaming).
//
// Prints one JSON object per line on stdout:
//   {"event":"created","url"}                       the upload URL is known (creation or resume)
//   {"event":"progress","sent","total"}             at most once per MiB, and the last one
//   {"event":"stopped","url","sent","total","released"}   --stop-after reached: aborted
//                                                   without terminating (exit 0)
//   {"event":"success","url","sent","total","video_id","status","offset"}   (exit 0)
//   {"event":"error","message","url","sent","released","status","body","video_id"} (exit 1)
// sent: tus-js-client's progress (throttled: may lag); released: with --rate, the bytes handed
// to its requests (an upper bound of what the server got), else null.
// video_id is the Kinora-Video-Id header of the last response (the final PATCH, or the HEAD of
// a resumed, finished upload).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Transform } from 'node:stream';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'peers', 'package.json'));
const tus = require('tus-js-client');

const MiB = 1024 * 1024;

function parseArgs(argv) {
  const names = {
    endpoint: 'TUS_ENDPOINT', file: 'TUS_FILE', token: 'TUS_TOKEN', 'chunk-size': 'TUS_CHUNK_SIZE',
    'stop-after': 'TUS_STOP_AFTER', 'resume-url': 'TUS_RESUME_URL', filename: 'TUS_FILENAME',
    title: 'TUS_TITLE', visibility: 'TUS_VISIBILITY', 'retry-delays': 'TUS_RETRY_DELAYS',
    buffer: 'TUS_BUFFER', rate: 'TUS_RATE',
  };
  const opts = {};
  for (const [name, env] of Object.entries(names)) {
    if (process.env[env] !== undefined && process.env[env] !== '') opts[name] = process.env[env];
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const name = arg.slice(2);
    if (!(name in names)) throw new Error(`unknown option ${arg}`);
    if (name === 'buffer') {
      opts.buffer = '1';
      continue;
    }
    if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
    opts[name] = argv[++i];
  }
  if (!opts.file) throw new Error('--file is required');
  if (!opts.endpoint && !opts['resume-url']) throw new Error('--endpoint or --resume-url is required');
  return opts;
}

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

// Bytes a --rate source has handed to tus-js-client's requests so far: an upper bound of what
// reached the server (tus-js-client's own progress is throttled to every 100 ms).
let released = null;

// A file source (as tus-js-client's own for an fs.ReadStream: each slice a fresh stream of the
// file's range) whose streams release at most `rate` bytes per second.
function throttledFileReader(file, size, rate) {
  const started = Date.now();
  let paced = 0;
  released = 0;
  const throttle = () => new Transform({
    transform(chunk, _enc, callback) {
      paced += chunk.length;
      const due = started + (paced / rate) * 1000;
      setTimeout(() => {
        released += chunk.length;
        callback(null, chunk);
      }, Math.max(0, due - Date.now()));
    },
  });
  const source = {
    size,
    slice(start, end) {
      const stop = Math.min(end, size);
      const stream = fs.createReadStream(file, { start, end: stop - 1, highWaterMark: 64 * 1024 })
        .pipe(throttle());
      stream.size = stop - start;
      return Promise.resolve({ value: stream, done: stop >= size });
    },
    close() {},
  };
  return { openFile: () => Promise.resolve(source) };
}

function retryDelays(spec) {
  if (spec === undefined) return [0, 1000, 3000, 5000];
  if (spec === 'none' || spec === '') return null;
  return spec.split(',').map((s) => Number(s));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const file = opts.file;
  const size = fs.statSync(file).size;
  const input = opts.buffer ? fs.readFileSync(file) : fs.createReadStream(file);
  const stopAfter = opts['stop-after'] !== undefined ? Number(opts['stop-after']) : null;
  const metadata = { filename: opts.filename ?? path.basename(file), filetype: 'video/mp4' };
  if (opts.title !== undefined) metadata.title = opts.title;
  if (opts.visibility !== undefined) metadata.visibility = opts.visibility;
  const headers = opts.token ? { Authorization: `Bearer ${opts.token}` } : {};

  let lastVideoId = null;
  let lastStatus = null;
  let lastReported = -Infinity;
  let lastSent = 0;
  let stopped = false;
  let upload;

  const done = new Promise((resolve) => {
    const options = {
      endpoint: opts.endpoint,
      uploadUrl: opts['resume-url'] || null,
      uploadSize: size,
      metadata,
      headers,
      retryDelays: retryDelays(opts['retry-delays']),
      storeFingerprintForResuming: false,
      removeFingerprintOnSuccess: false,
      onUploadUrlAvailable() {
        emit({ event: 'created', url: upload.url });
      },
      onAfterResponse(_req, res) {
        lastStatus = res.getStatus();
        const id = res.getHeader('Kinora-Video-Id');
        if (id) lastVideoId = id;
      },
      onProgress(sent, total) {
        if (stopped) return;
        lastSent = Math.max(lastSent, sent);
        if (sent - lastReported >= MiB || sent === total) {
          lastReported = sent;
          emit({ event: 'progress', sent, total });
        }
        if (stopAfter !== null && sent >= stopAfter) {
          stopped = true;
          // abort(false): the upload stays on the server, to be resumed from its URL.
          upload.abort(false).finally(() => {
            emit({ event: 'stopped', url: upload.url, sent, total, released });
            resolve(0);
          });
        }
      },
      onSuccess(payload) {
        const res = payload && payload.lastResponse;
        const id = (res && res.getHeader('Kinora-Video-Id')) || lastVideoId;
        emit({
          event: 'success', url: upload.url, sent: size, total: size, video_id: id || null,
          status: res ? res.getStatus() : lastStatus,
          offset: res && res.getHeader('Upload-Offset') !== undefined
            ? Number(res.getHeader('Upload-Offset')) : null,
        });
        resolve(0);
      },
      onError(err) {
        if (stopped) return;
        const res = err.originalResponse;
        emit({
          event: 'error', message: String(err && err.message ? err.message : err),
          url: upload.url || null, sent: lastSent, released, status: res ? res.getStatus() : null,
          body: res ? res.getBody() : null, video_id: lastVideoId,
        });
        resolve(1);
      },
    };
    if (opts['chunk-size'] !== undefined) options.chunkSize = Number(opts['chunk-size']);
    if (opts.rate !== undefined) {
      options.fileReader = throttledFileReader(file, size, Number(opts.rate));
      // tus-js-client fingerprints the input for its URL storage; ours is off.
      options.fingerprint = () => Promise.resolve(null);
    }
    upload = new tus.Upload(input, options);
    upload.start();
  });
  const code = await done;
  // Sockets of an aborted request may linger: exit at once.
  process.exit(code);
}

main().catch((err) => {
  emit({ event: 'error', message: String(err && err.stack ? err.stack : err), url: null,
    status: null, body: null, video_id: null });
  process.exit(2);
});
