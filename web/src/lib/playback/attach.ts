// Wires a PlaybackTracker to a <video> element, the page's visibility, and (when HLS plays) to
// hls.js: what the browser reports becomes the tracker's input. Returns a detach function.

import Hls, { type FragLoadedData, type LevelSwitchedData } from 'hls.js';
import { BeaconBatcher, browserTransport, type Transport } from './batcher';
import { embedHostOf, hostOf, newViewId, type Surface } from './beacon';
import { PlaybackTracker } from './tracker';

/** How often the playhead is sampled while a view is open (stalls are measured from it). */
export const SAMPLE_INTERVAL_MS = 250;

export interface TrackingOptions {
  videoId: string;
  surface: Surface;
  /** The catalog's duration in seconds, preferred to the element's. */
  duration?: number | null;
  transport?: Transport;
}

export interface Tracking {
  tracker: PlaybackTracker;
  /** Follows one hls.js instance (renditions, segment downloads); returns its detach function. */
  attachHls: (hls: Hls) => () => void;
  /** Playback failed for good (the player gave up). */
  fail: (code: string, message: string) => void;
  /** The source is about to be replaced (fresh signed URLs). */
  reload: () => void;
  detach: () => void;
}

export function trackPlayback(el: HTMLVideoElement, options: TrackingOptions): Tracking {
  const batcher = new BeaconBatcher({ transport: options.transport ?? browserTransport() });
  const referrer = typeof document !== 'undefined' ? document.referrer : '';
  const tracker = new PlaybackTracker({
    videoId: options.videoId,
    surface: options.surface,
    embedHost: options.surface === 'embed' ? embedHostOf(window, referrer) : null,
    referrer: hostOf(referrer) ? referrer : null,
    now: () => performance.now(),
    newViewId: () => newViewId(),
    emit: (meta, event, urgency) => batcher.add(meta, event, urgency),
    duration: () => {
      if (options.duration && options.duration > 0) return options.duration;
      return Number.isFinite(el.duration) && el.duration > 0 ? el.duration : null;
    },
    elementHeight: () => el.getBoundingClientRect().height || el.clientHeight || null,
  });

  let timer: ReturnType<typeof setInterval> | null = null;
  const sampling = (on: boolean) => {
    if (on && timer === null) timer = setInterval(() => tracker.tick(el.currentTime), SAMPLE_INTERVAL_MS);
    if (!on && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
  let mp4 = true;

  const handlers: Array<[string, () => void]> = [
    [
      'play',
      () => {
        tracker.play(el.currentTime);
        sampling(true);
      },
    ],
    [
      'playing',
      () => {
        tracker.playing(el.currentTime);
        if (mp4 && el.videoHeight) tracker.rendition(el.videoHeight, null);
      },
    ],
    [
      'pause',
      () => {
        // The element pauses on reaching the end, just before `ended`: that is not the viewer's pause.
        if (el.ended) return;
        tracker.pause(el.currentTime);
        sampling(false);
      },
    ],
    ['seeking', () => tracker.seeking(el.currentTime)],
    ['timeupdate', () => tracker.tick(el.currentTime)],
    [
      'ended',
      () => {
        tracker.ended(el.currentTime);
        sampling(false);
      },
    ],
  ];
  for (const [name, fn] of handlers) el.addEventListener(name, fn);

  const onHidden = () => {
    tracker.hide(el.currentTime);
    sampling(false);
  };
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') onHidden();
    else {
      const playing = !el.paused && !el.ended;
      tracker.show(el.currentTime, playing);
      if (playing) sampling(true);
    }
  };
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pagehide', onHidden);

  const attachHls = (hls: Hls) => {
    mp4 = false;
    const onSwitched = (_e: string, data: LevelSwitchedData) => {
      const level = hls.levels[data.level];
      if (level) tracker.rendition(level.height || null, level.bitrate || null);
    };
    const onFrag = (_e: string, data: FragLoadedData) => {
      const stats = data.frag.stats;
      tracker.fragment(stats.loaded || stats.total, Math.max(0, stats.loading.end - stats.loading.start));
    };
    hls.on(Hls.Events.LEVEL_SWITCHED, onSwitched);
    hls.on(Hls.Events.FRAG_LOADED, onFrag);
    return () => {
      hls.off(Hls.Events.LEVEL_SWITCHED, onSwitched);
      hls.off(Hls.Events.FRAG_LOADED, onFrag);
      mp4 = true;
    };
  };

  return {
    tracker,
    attachHls,
    fail: (code, message) => tracker.error(code, message, el.currentTime),
    reload: () => tracker.reload(),
    detach: () => {
      // Leaving the page within the app: the view ends as it would on pagehide.
      tracker.hide(el.currentTime);
      sampling(false);
      for (const [name, fn] of handlers) el.removeEventListener(name, fn);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', onHidden);
      batcher.close();
    },
  };
}
