// The beacon's wire format (docs/analytics.md, "The beacon"): one batch is the events of one view
// since the last batch. The contract lives in the doc; these types are its one home in the app.

export type Surface = 'watch' | 'embed';

export type BeaconEventType =
  | 'viewstart'
  | 'playing'
  | 'pause'
  | 'play'
  | 'seek'
  | 'stall_start'
  | 'stall_end'
  | 'rendition'
  | 'error'
  | 'heartbeat'
  | 'ended'
  | 'viewend';

export interface BeaconEvent {
  seq: number;
  type: BeaconEventType;
  /** Client milliseconds since the view started. */
  t: number;
  /** Seconds. */
  playhead: number;
  autoplay?: boolean;
  startup_ms?: number;
  from?: number;
  to?: number;
  stall_ms?: number;
  height?: number;
  bitrate?: number;
  code?: string;
  message?: string;
  ranges?: Array<[number, number]>;
  bytes?: number;
  download_ms?: number;
  element_height?: number;
}

/** What a batch says about its view besides the events. */
export interface ViewMeta {
  video_id: string;
  view_id: string;
  surface: Surface;
  embed_host: string | null;
  referrer: string | null;
  /** Seconds, as the player knows it when the batch is sent (null when not known yet). */
  duration: number | null;
}

export interface BeaconBatch extends ViewMeta {
  v: 1;
  events: BeaconEvent[];
}

/** At most this many events in one batch (the server refuses more). */
export const MAX_EVENTS_PER_BATCH = 100;

/** The beacon's path, relative to the app's origin. */
export const BEACON_PATH = '/api/analytics/beacon';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A view id: 16 random bytes as 22 characters of base64url (no padding). */
export function newViewId(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(16));
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += ALPHABET[(value >> bits) & 63];
    }
  }
  if (bits > 0) out += ALPHABET[(value << (6 - bits)) & 63];
  return out;
}

/**
 * The host of the page that embeds this one, when it runs in a frame (document.referrer of a
 * framed page is the embedding page, or its origin under a strict referrer policy); else null.
 */
export function embedHostOf(win: Pick<Window, 'self' | 'top'>, referrer: string): string | null {
  let framed: boolean;
  try {
    framed = win.self !== win.top;
  } catch {
    framed = true; // reading top across origins may throw: then we are framed
  }
  return framed ? hostOf(referrer) : null;
}

export function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host || null;
  } catch {
    return null;
  }
}
