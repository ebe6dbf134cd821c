// Inputs for the end-to-end tests, made on the spot: a short real video (Debian's ffmpeg) and a
// text file wearing a video's name.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'kinora-e2e-media-'));

/** A 6 s (or `seconds`) 640×360 H.264/AAC clip in a .mov container, so the server really transcodes it. */
export function makeClip(name = 'sunrise-over-the-bay.mov', seconds = 6): string {
  const path = join(dir, name);
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=640x360:rate=25:duration=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:duration=${seconds}`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-g',
    '50',
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    '-shortest',
    path,
  ]);
  return path;
}

/** A plain text file renamed to .mp4: passes the browser's extension check, not the server's probe. */
export function makeFakeVideo(name = 'meeting-notes.mp4'): string {
  const path = join(dir, name);
  const line = 'Minutes of the weekly meeting. Nothing here is a video.\n';
  writeFileSync(path, line.repeat(2000));
  return path;
}
