// The storyboard's WebVTT thumbnails track (docs/content-analysis.md, "Files"): each cue is one
// tile, `sprite_000.jpg#xywh=x,y,w,h`, the sprite's URL relative to the VTT or (as the gateway
// serves it, signed) an absolute path. The text comes from the network, so the parser takes what
// it understands and skips the rest: a malformed cue is dropped, never thrown on.

/** One storyboard tile: the time it stands for and where it sits in its sprite sheet. */
export interface StoryboardTile {
  start: number;
  end: number;
  /** The sprite sheet, resolved against the VTT's URL (the `#xywh` fragment removed). */
  url: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** More cues than any storyboard has (at most 200 tiles); a longer file is cut here. */
export const MAX_CUES = 5000;

const TIMESTAMP = /^(?:(\d+):)?([0-5]\d):([0-5]\d)[.,](\d{1,3})$/;

/** "01:02:03.500" or "02:03.500" in seconds; null when it is not a WebVTT timestamp. */
export function parseTimestamp(text: string): number | null {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return null;
  const [, h, mm, ss, frac] = m;
  return (h ? Number(h) * 3600 : 0) + Number(mm) * 60 + Number(ss) + Number(frac.padEnd(3, '0')) / 1000;
}

/** `x,y,w,h` (or `pixel:x,y,w,h`) of a media fragment; null unless four non-negative integers, w and h > 0. */
function parseXywh(fragment: string): [number, number, number, number] | null {
  const params = new URLSearchParams(fragment);
  let value = params.get('xywh');
  if (value === null) return null;
  if (value.startsWith('pixel:')) value = value.slice('pixel:'.length);
  const parts = value.split(',');
  if (parts.length !== 4 || !parts.every((p) => /^\d+$/.test(p.trim()))) return null;
  const [x, y, w, h] = parts.map((p) => Number(p.trim()));
  if (w <= 0 || h <= 0) return null;
  return [x, y, w, h];
}

/** `ref` resolved against `base` (itself resolved against the page); null when it cannot be. */
function resolveUrl(ref: string, base: string): string | null {
  try {
    const origin = typeof window !== 'undefined' ? window.location.href : 'http://localhost/';
    return new URL(ref, new URL(base || origin, origin)).toString();
  } catch {
    return null;
  }
}

/**
 * The tiles of a WebVTT thumbnails track, in time order. `baseUrl` is the VTT's own URL, against
 * which relative sprite URLs are resolved. Returns [] when the text is not WebVTT.
 */
export function parseStoryboardVtt(text: string, baseUrl: string): StoryboardTile[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) return [];
  const tiles: StoryboardTile[] = [];
  // Tiles share a few sprite sheets: resolve each URL once.
  const resolved = new Map<string, string | null>();
  const resolve = (ref: string) => {
    if (!resolved.has(ref)) resolved.set(ref, resolveUrl(ref, baseUrl));
    return resolved.get(ref) ?? null;
  };
  let i = 1;
  while (i < lines.length && tiles.length < MAX_CUES) {
    // A block runs to the next blank line.
    while (i < lines.length && lines[i].trim() === '') i++;
    const block: string[] = [];
    while (i < lines.length && lines[i].trim() !== '') block.push(lines[i++]);
    if (block.length === 0) break;
    const timing = block.findIndex((l) => l.includes('-->'));
    // NOTE, STYLE and REGION blocks, and anything else without a timing line, are not cues.
    if (timing < 0 || timing > 1) continue;
    const [from, rest = ''] = block[timing].split('-->');
    const start = parseTimestamp(from);
    const end = parseTimestamp(rest.trim().split(/\s+/)[0] ?? '');
    if (start === null || end === null || end < start) continue;
    const payload = block
      .slice(timing + 1)
      .join('')
      .trim();
    const hash = payload.indexOf('#');
    if (!payload || hash <= 0) continue;
    const xywh = parseXywh(payload.slice(hash + 1));
    const url = resolve(payload.slice(0, hash));
    if (!xywh || !url) continue;
    const [x, y, w, h] = xywh;
    tiles.push({ start, end, url, x, y, w, h });
  }
  return tiles.sort((a, b) => a.start - b.start);
}

/**
 * The tile to show at `time`: the cue that holds it, else the last one that started before it
 * (a gap between cues, or past the end), else the first. Null when there are no tiles.
 */
export function tileAt(tiles: readonly StoryboardTile[], time: number): StoryboardTile | null {
  if (tiles.length === 0 || !Number.isFinite(time)) return null;
  let lo = 0;
  let hi = tiles.length - 1;
  if (time < tiles[0].start) return tiles[0];
  // The last tile whose start is <= time.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tiles[mid].start <= time) lo = mid;
    else hi = mid - 1;
  }
  return tiles[lo];
}

/** The sprite sheets the tiles use, each once, in order of first use. */
export function spriteUrls(tiles: readonly StoryboardTile[]): string[] {
  return [...new Set(tiles.map((t) => t.url))];
}
