// Batches the tracker's events into beacons: at most one send every ~5 s (the first at once), a
// batch per view, at most 100 events each; within 2 s of the last send for a `pause` (what was
// played reaches the server while the viewer is still there: a beacon sent as the page goes away
// is sometimes lost), and at once for `viewend` (the page may be going away, so
// navigator.sendBeacon with a text/plain body: no preflight, survives the unload; fetch with
// keepalive where sendBeacon refuses).

import { BEACON_PATH, MAX_EVENTS_PER_BATCH, type BeaconBatch, type BeaconEvent, type ViewMeta } from './beacon';

export const MIN_SEND_INTERVAL_MS = 5000;
/** The shortest interval between sends when an event is to go soon (a pause). */
export const SOON_SEND_INTERVAL_MS = 2000;

/** When an event is to be sent: with the next batch, soon (a pause), or now (viewend). */
export type Urgency = 'batch' | 'soon' | 'now';

export type Transport = (body: string) => void;

export interface BatcherOptions {
  transport: Transport;
  /** Milliseconds; Date.now by default (the timers below follow it in tests with fake timers). */
  now?: () => number;
  minIntervalMs?: number;
  soonIntervalMs?: number;
}

interface Group {
  meta: ViewMeta;
  events: BeaconEvent[];
}

export class BeaconBatcher {
  private readonly transport: Transport;
  private readonly now: () => number;
  private readonly interval: number;
  private readonly soonInterval: number;
  private queue: Group[] = [];
  private lastSent = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** When the timer fires (this.now()'s clock). */
  private timerAt = Infinity;

  constructor(options: BatcherOptions) {
    this.transport = options.transport;
    this.now = options.now ?? (() => Date.now());
    this.interval = options.minIntervalMs ?? MIN_SEND_INTERVAL_MS;
    this.soonInterval = options.soonIntervalMs ?? SOON_SEND_INTERVAL_MS;
  }

  add(meta: ViewMeta, event: BeaconEvent, urgency: Urgency = 'batch'): void {
    const last = this.queue[this.queue.length - 1];
    if (last && last.meta.view_id === meta.view_id) {
      last.meta = meta; // the latest duration
      last.events.push(event);
    } else {
      this.queue.push({ meta, events: [event] });
    }
    if (urgency === 'now') {
      this.flush();
      return;
    }
    const at = this.lastSent + (urgency === 'soon' ? this.soonInterval : this.interval);
    const wait = at - this.now();
    if (wait <= 0) this.flush();
    else if (at < this.timerAt) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timerAt = at;
      this.timer = setTimeout(() => this.flush(), wait);
    }
  }

  /** Sends everything queued now. */
  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.timerAt = Infinity;
    if (this.queue.length === 0) return;
    const groups = this.queue;
    this.queue = [];
    this.lastSent = this.now();
    for (const g of groups) {
      for (let i = 0; i < g.events.length; i += MAX_EVENTS_PER_BATCH) {
        const batch: BeaconBatch = { v: 1, ...g.meta, events: g.events.slice(i, i + MAX_EVENTS_PER_BATCH) };
        this.transport(JSON.stringify(batch));
      }
    }
  }

  /** Stops the timer, sending what is left. */
  close(): void {
    this.flush();
  }
}

/** navigator.sendBeacon with a text/plain body, or fetch with keepalive when it refuses. */
export function browserTransport(path = BEACON_PATH): Transport {
  return (body) => {
    const blob = new Blob([body], { type: 'text/plain' });
    try {
      if (typeof navigator !== 'undefined' && navigator.sendBeacon && navigator.sendBeacon(path, blob)) return;
    } catch {
      // fall through to fetch
    }
    if (typeof fetch === 'function') {
      void fetch(path, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'text/plain' },
        keepalive: true,
        credentials: 'same-origin',
      }).catch(() => undefined);
    }
  };
}
