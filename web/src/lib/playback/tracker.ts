// The playback tracker: a state machine fed by what the player observes (play, pause, seeks, the
// playhead sampled a few times a second, renditions, segment downloads, the page being hidden) that
// emits the beacon's events (docs/analytics.md). No DOM here: attach.ts wires it to a <video> and
// hls.js, and the tests drive it with a fake clock.
//
// One view per play attempt: the first `play` starts a view (viewstart); after `ended` or
// `viewend` the next play starts a new one. A stall is the playhead not moving for at least 1 s
// while it should (playing, first frame shown, not seeking); the time a seek takes to resume is
// not a stall (Mux counts it apart, as seek latency).

import type { Urgency } from './batcher';
import type { BeaconEvent, BeaconEventType, ViewMeta } from './beacon';

/** The playhead must stand still this long while it should move to be a stall. */
export const STALL_THRESHOLD_MS = 1000;
/** A heartbeat this often while playing. */
export const HEARTBEAT_INTERVAL_MS = 10_000;
/** Longest error message sent. */
const MAX_MESSAGE = 200;

export interface TrackerOptions {
  videoId: string;
  surface: ViewMeta['surface'];
  embedHost: string | null;
  referrer: string | null;
  /** Monotonic milliseconds (performance.now in the browser). */
  now: () => number;
  newViewId: () => string;
  /** Receives every event with its view and when to send it: `soon` (pause), `now` (viewend). */
  emit: (meta: ViewMeta, event: BeaconEvent, urgency: Urgency) => void;
  /** The video's duration in seconds as known now (the catalog's first), or null. */
  duration: () => number | null;
  /** The player element's height in CSS pixels, for the heartbeat's element_height. */
  elementHeight?: () => number | null;
}

type State = 'playing' | 'paused' | 'ended' | 'closed';

interface View {
  meta: ViewMeta;
  startedAt: number;
  seq: number;
  state: State;
  firstFrame: boolean;
  /** Closed ranges played since the last heartbeat. */
  ranges: Array<[number, number]>;
  /** The range being played now, if any. */
  current: [number, number] | null;
  lastHeartbeatAt: number;
  /** A stall under way: when the playhead stopped. */
  stallSince: number | null;
  /** A seek is under way, or done and the playhead has not moved since. */
  seeking: boolean;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export class PlaybackTracker {
  private readonly o: TrackerOptions;
  private view: View | null = null;
  private playhead = 0;
  private lastSampleAt = 0;
  private lastMoveAt = 0;
  private bytes = 0;
  private downloadMs = 0;
  private hasDownloads = false;
  private height: number | null = null;
  private bitrate: number | null = null;

  constructor(options: TrackerOptions) {
    this.o = options;
  }

  /** The view being measured (for tests and the debug overlay), or null between views. */
  get viewId(): string | null {
    return this.view && this.view.state !== 'closed' ? this.view.meta.view_id : null;
  }

  /** Playback was asked for: a new view when none is open, else a resume. */
  play(playhead: number, autoplay?: boolean): void {
    const v = this.view;
    if (!v || v.state === 'ended' || v.state === 'closed') {
      this.startView(playhead, autoplay);
      return;
    }
    this.sample(playhead);
    if (v.state === 'paused') {
      v.state = 'playing';
      this.lastMoveAt = this.o.now();
      this.push('play', {});
    }
  }

  /** The first frame after play (startup), or playback going on after waiting. */
  playing(playhead: number): void {
    const v = this.view;
    if (!v || v.state === 'ended' || v.state === 'closed') return;
    this.sample(playhead);
    if (v.state === 'paused') {
      v.state = 'playing';
      this.push('play', {});
    }
    if (!v.firstFrame) {
      v.firstFrame = true;
      this.lastMoveAt = this.o.now();
      this.push('playing', { startup_ms: Math.max(0, Math.round(this.o.now() - v.startedAt)) });
    }
  }

  pause(playhead: number): void {
    const v = this.view;
    if (!v || v.state !== 'playing') {
      this.playhead = playhead;
      return;
    }
    this.sample(playhead);
    this.endStall();
    this.heartbeat();
    v.state = 'paused';
    this.push('pause', {}, 'soon');
  }

  /** The viewer moved the playhead to `to` (the element's `seeking`). */
  seeking(to: number): void {
    const v = this.view;
    if (!v || v.state === 'ended' || v.state === 'closed') {
      this.playhead = to;
      this.lastSampleAt = this.o.now();
      return;
    }
    const from = this.playhead;
    this.endStall();
    this.closeRange();
    this.heartbeat();
    v.seeking = true;
    this.push('seek', { from: this.clamp(from), to: this.clamp(to) });
    this.playhead = to;
    this.lastSampleAt = this.lastMoveAt = this.o.now();
  }

  ended(playhead: number): void {
    const v = this.view;
    if (!v || v.state === 'ended' || v.state === 'closed') return;
    this.sample(playhead);
    this.endStall();
    this.heartbeat();
    this.push('ended', {});
    v.state = 'ended';
  }

  /** The page is hidden or left: the view ends here (sent at once). */
  hide(playhead: number): void {
    const v = this.view;
    if (!v || v.state === 'closed') return;
    if (v.state !== 'ended') {
      this.sample(playhead);
      this.endStall();
      this.heartbeat();
    }
    this.push('viewend', {}, 'now');
    v.state = 'closed';
  }

  /** The page is shown again; playback that went on meanwhile is a new view. */
  show(playhead: number, playing: boolean): void {
    if (playing && (!this.view || this.view.state === 'closed')) this.startView(playhead, undefined, false);
    else this.playhead = playhead;
  }

  /** Playback failed. */
  error(code: string, message: string, playhead: number): void {
    const v = this.view;
    if (!v || v.state === 'closed') return;
    this.sample(playhead);
    this.endStall();
    this.push('error', { code: code.slice(0, 64), message: message.slice(0, MAX_MESSAGE) });
  }

  /** The rendition in use (hls.js LEVEL_SWITCHED, or the MP4's height). */
  rendition(height: number | null, bitrate: number | null): void {
    if (height === this.height && bitrate === this.bitrate) return;
    this.height = height;
    this.bitrate = bitrate;
    const v = this.view;
    if (v && (v.state === 'playing' || v.state === 'paused')) {
      this.push('rendition', { ...(height ? { height } : {}), ...(bitrate ? { bitrate } : {}) });
    }
  }

  /** A media segment was downloaded (hls.js FRAG_LOADED). */
  fragment(bytes: number, ms: number): void {
    if (!(bytes >= 0) || !(ms >= 0)) return;
    this.hasDownloads = true;
    this.bytes += Math.round(bytes);
    this.downloadMs += ms;
  }

  /** The player's source is being replaced (renewed URLs): the next jump is not the viewer's seek. */
  reload(): void {
    this.closeRange();
    if (this.view) this.view.seeking = true;
  }

  /**
   * The playhead as sampled now (timeupdate, and a timer a few times a second while a view is
   * open). Extends the range played, detects stalls and sends the 10 s heartbeat.
   */
  tick(playhead: number): void {
    this.sample(playhead);
    const v = this.view;
    if (!v || v.state !== 'playing') return;
    const now = this.o.now();
    if (v.firstFrame && !v.seeking && v.stallSince === null && now - this.lastMoveAt >= STALL_THRESHOLD_MS) {
      v.stallSince = this.lastMoveAt;
      this.push('stall_start', {});
    }
    if (now - v.lastHeartbeatAt >= HEARTBEAT_INTERVAL_MS) this.heartbeat();
  }

  private startView(playhead: number, autoplay?: boolean, fresh = true): void {
    const now = this.o.now();
    this.view = {
      meta: {
        video_id: this.o.videoId,
        view_id: this.o.newViewId(),
        surface: this.o.surface,
        embed_host: this.o.surface === 'embed' ? this.o.embedHost : null,
        referrer: this.o.referrer,
        duration: null,
      },
      startedAt: now,
      seq: 0,
      state: 'playing',
      firstFrame: !fresh,
      ranges: [],
      current: null,
      lastHeartbeatAt: now,
      stallSince: null,
      seeking: false,
    };
    this.playhead = playhead;
    this.lastSampleAt = this.lastMoveAt = now;
    this.push('viewstart', autoplay === undefined ? {} : { autoplay });
  }

  /** Takes a new playhead sample: a forward move at a plausible speed extends the range played. */
  private sample(playhead: number): void {
    const now = this.o.now();
    const v = this.view;
    const delta = playhead - this.playhead;
    if (delta !== 0) {
      if (v && v.state === 'playing') {
        const elapsed = Math.max(0, now - this.lastSampleAt) / 1000;
        // Up to twice real time (the fastest rate offered) plus the sampling jitter.
        if (delta > 0 && delta <= 2 * elapsed + 1) {
          if (v.current) v.current[1] = playhead;
          else v.current = [this.playhead, playhead];
        } else {
          this.closeRange();
        }
        v.seeking = false;
        this.endStall(now);
      }
      this.lastMoveAt = now;
    }
    this.playhead = playhead;
    this.lastSampleAt = now;
  }

  private endStall(now = this.o.now()): void {
    const v = this.view;
    if (!v || v.stallSince === null) return;
    const stall_ms = Math.max(0, Math.round(now - v.stallSince));
    v.stallSince = null;
    this.push('stall_end', { stall_ms });
  }

  private closeRange(): void {
    const v = this.view;
    if (!v) return;
    if (v.current && v.current[1] > v.current[0]) v.ranges.push(v.current);
    v.current = null;
  }

  /** Sends what was played and downloaded since the last heartbeat, if anything. */
  private heartbeat(): void {
    const v = this.view;
    if (!v) return;
    const open = v.current;
    this.closeRange();
    const ranges = v.ranges.map(([a, b]): [number, number] => [this.clamp(a), this.clamp(b)]).filter(([a, b]) => b > a);
    v.ranges = [];
    // Playing goes on from where the heartbeat cut the range.
    if (open && v.state === 'playing') v.current = [open[1], open[1]];
    v.lastHeartbeatAt = this.o.now();
    // Nothing played and nothing downloaded: nothing to say (a long stall sends no empty beats).
    if (ranges.length === 0 && this.bytes === 0) return;
    const fields: Partial<BeaconEvent> = { ranges };
    if (this.hasDownloads) {
      fields.bytes = this.bytes;
      fields.download_ms = Math.round(this.downloadMs);
    }
    if (this.height) fields.height = this.height;
    if (this.bitrate) fields.bitrate = this.bitrate;
    const eh = this.o.elementHeight?.();
    if (eh && eh > 0) fields.element_height = Math.round(eh);
    this.bytes = 0;
    this.downloadMs = 0;
    this.push('heartbeat', fields);
  }

  /** Seconds within [0, duration], to the millisecond. */
  private clamp(x: number): number {
    const d = this.o.duration();
    let y = Math.max(0, round3(x));
    if (d !== null && Number.isFinite(d) && d > 0) y = Math.min(y, Math.floor(d * 1000) / 1000);
    return y;
  }

  private push(type: BeaconEventType, fields: Partial<BeaconEvent>, urgency: Urgency = 'batch'): void {
    const v = this.view;
    if (!v) return;
    const d = this.o.duration();
    const meta = { ...v.meta, duration: d !== null && Number.isFinite(d) && d > 0 ? d : null };
    const event: BeaconEvent = {
      seq: v.seq++,
      type,
      t: type === 'viewstart' ? 0 : Math.max(0, Math.round(this.o.now() - v.startedAt)),
      playhead: this.clamp(this.playhead),
      ...fields,
    };
    this.o.emit(meta, event, urgency);
  }
}
