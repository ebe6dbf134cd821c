import { useCallback, useEffect, useRef, useState, type MutableRefObject } from 'react';
import Hls from 'hls.js';
import { Settings2 } from 'lucide-react';
import type { Video } from '@/api/types';
import { useStoryboard } from '@/lib/content/api';
import { cn } from '@/lib/cn';
import { trackPlayback, type Tracking } from '@/lib/playback/attach';
import type { Surface } from '@/lib/playback/beacon';
import { PreviewTimeline } from './PreviewTimeline';
import { choosePlaybackSource, isExpiredUrlError, qualityLevels, refreshDelayMs, type QualityLevel } from './playback';

export interface VideoPlayerProps {
  video: Video;
  /** Where the player runs, for the audience beacons (docs/analytics.md). */
  surface?: Surface;
  /** Called once per mounted player, on the first `play`. */
  onFirstPlay?: () => void;
  /**
   * Fetches the video again (fresh signed URLs, after the server has checked the viewer may
   * still watch it); null when it may not. The player calls it before its URLs expire and when
   * a playlist or segment answers 403, then carries on from the same position.
   */
  refresh?: () => Promise<Video | null | undefined>;
  /** Classes for the video element's frame (the embed page fills its window). */
  className?: string;
  /** The line under the video (streaming mode, quality); the embed page goes without. */
  footer?: boolean;
  /**
   * The storyboard's WebVTT thumbnails track (signed URL): with it, a seek strip under the video
   * shows the frame under the pointer. Without it (or while it loads, or if it fails) there is
   * no strip.
   */
  storyboardUrl?: string | null;
  /** Moments to tick on the seek strip (the scene cuts), seconds. */
  marks?: readonly number[];
  /** Receives the video element, for a page that moves the playhead from elsewhere. */
  mediaRef?: MutableRefObject<HTMLVideoElement | null>;
}

/** Where playback was when the sources were renewed, to carry on from there. */
interface ResumePoint {
  time: number;
  playing: boolean;
}

// A 403 right after a renewal is not an expiry: do not renew again in a loop.
const MIN_RENEW_INTERVAL_MS = 10_000;

export function VideoPlayer({
  video,
  surface = 'watch',
  onFirstPlay,
  refresh,
  className,
  footer = true,
  storyboardUrl,
  marks,
  mediaRef,
}: VideoPlayerProps) {
  const tiles = useStoryboard(storyboardUrl);
  const ref = useRef<HTMLVideoElement>(null);
  const hlsRef = useRef<Hls | null>(null);
  const trackingRef = useRef<Tracking | null>(null);
  const [levels, setLevels] = useState<QualityLevel[]>([]);
  const [level, setLevel] = useState(-1);
  const [autoLabel, setAutoLabel] = useState('');
  const [mode, setMode] = useState<'hls' | 'mp4' | 'none'>('none');
  const [notice, setNotice] = useState<string | null>(null);
  const played = useRef(false);

  // The player loads its sources once per video. Signed URLs change on every fetch of the video,
  // so only a new id, or a source appearing or going, loads them again; until then the URLs
  // first seen are kept (React's "state from the previous render" pattern, no effect needed).
  const sourceKey = `${video.video_id}|${Boolean(video.hls_url)}|${Boolean(video.video_url)}`;
  // Renewed URLs (renew below) replace them, keeping the key, with the position to resume from.
  const [sources, setSources] = useState<{
    key: string;
    hls_url: string | null;
    video_url: string | null;
    resume?: ResumePoint;
  }>({ key: sourceKey, hls_url: video.hls_url, video_url: video.video_url });
  if (sources.key !== sourceKey) {
    setSources({ key: sourceKey, hls_url: video.hls_url, video_url: video.video_url });
  }

  // Fresh signed URLs for the same video, so playback outlives the URLs' lifetime (a long film, a
  // paused tab). Revocation still holds: the server hands out new URLs only to a viewer who may
  // watch, and URLs of an older media generation keep failing. Resolves false when none came.
  const lastRenew = useRef(0);
  const renew = useCallback(async (): Promise<boolean> => {
    if (!refresh || Date.now() - lastRenew.current < MIN_RENEW_INTERVAL_MS) return false;
    lastRenew.current = Date.now();
    let fresh: Video | null | undefined;
    try {
      fresh = await refresh();
    } catch {
      return false;
    }
    if (!fresh || fresh.video_id !== video.video_id || (!fresh.hls_url && !fresh.video_url)) return false;
    const el = ref.current;
    const resume = el ? { time: el.currentTime, playing: !el.paused && !el.ended } : undefined;
    setSources((s) => ({ key: s.key, hls_url: fresh.hls_url, video_url: fresh.video_url, resume }));
    return true;
  }, [refresh, video.video_id]);
  const renewRef = useRef(renew);
  useEffect(() => {
    renewRef.current = renew;
  }, [renew]);

  useEffect(() => {
    if (!mediaRef) return;
    mediaRef.current = ref.current;
    return () => {
      mediaRef.current = null;
    };
  }, [mediaRef]);

  // The audience beacons: one tracker per video on this element, across source renewals. Declared
  // before the sources' effect so that its cleanup (the view's end) reads the playhead before the
  // source is taken away.
  const duration = video.duration_seconds;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const tracking = trackPlayback(el, { videoId: video.video_id, surface, duration });
    trackingRef.current = tracking;
    return () => {
      tracking.detach();
      if (trackingRef.current === tracking) trackingRef.current = null;
    };
  }, [video.video_id, surface, duration]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    played.current = false;
    const source = choosePlaybackSource(sources, Hls.isSupported());
    setMode(source.kind);
    setLevels([]);
    setLevel(-1);
    setNotice(null);

    const resume = sources.resume;
    const carryOn = () => {
      if (resume?.playing) void el.play().catch(() => undefined);
    };
    // Renew the URLs a little before they expire, paused or not.
    const delay = refreshDelayMs([sources.hls_url, sources.video_url], Date.now());
    const timer = delay === null ? undefined : window.setTimeout(() => void renewRef.current(), delay);

    if (source.kind === 'hls') {
      const hls = new Hls({ capLevelToPlayerSize: true, startPosition: resume ? resume.time : -1 });
      hlsRef.current = hls;
      if (resume) trackingRef.current?.reload();
      const untrack = trackingRef.current?.attachHls(hls);
      hls.on(Hls.Events.DESTROYING, () => untrack?.());
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        setLevels(qualityLevels(hls.levels));
        carryOn();
      });
      hls.on(Hls.Events.LEVEL_SWITCHED, (_e, data) => {
        const l = hls.levels[data.level];
        setAutoLabel(l?.height ? `${l.height}p` : '');
      });
      hls.on(Hls.Events.ERROR, (_e, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
          return;
        }
        const giveUp = () => {
          hls.destroy();
          if (hlsRef.current === hls) hlsRef.current = null;
          setLevels([]);
          if (source.fallback) {
            setMode('mp4');
            setNotice('Adaptive streaming failed; playing the MP4 instead.');
            el.src = source.fallback;
          } else {
            setNotice('This video could not be played.');
            trackingRef.current?.fail(String(data.details), `${data.type}: ${data.details}`);
          }
        };
        // An expired URL (a long film, a tab left paused): fresh URLs, same position.
        if (isExpiredUrlError(data)) {
          void renewRef.current().then((renewed) => {
            if (!renewed) giveUp();
          });
          return;
        }
        giveUp();
      });
      hls.loadSource(source.url);
      hls.attachMedia(el);
    } else if (source.kind === 'mp4') {
      el.src = source.url;
      if (resume) {
        trackingRef.current?.reload();
        el.addEventListener(
          'loadedmetadata',
          () => {
            el.currentTime = resume.time;
            carryOn();
          },
          { once: true },
        );
      }
    }
    return () => {
      window.clearTimeout(timer);
      hlsRef.current?.destroy();
      hlsRef.current = null;
      el.removeAttribute('src');
      el.load();
    };
  }, [sources]);

  const onPlay = () => {
    if (played.current) return;
    played.current = true;
    onFirstPlay?.();
  };

  const choose = (value: number) => {
    setLevel(value);
    if (hlsRef.current) hlsRef.current.currentLevel = value;
  };

  return (
    <div className={footer ? undefined : 'relative h-full'}>
      <div
        className={cn(
          className ?? 'overflow-hidden rounded-xl bg-black ring-1 ring-slate-800',
          !footer && 'flex flex-col',
        )}
      >
        <video
          ref={ref}
          controls
          playsInline
          preload="metadata"
          poster={video.poster_url ?? video.thumbnail_url ?? undefined}
          onPlay={onPlay}
          onError={() => {
            if (mode !== 'mp4') return;
            void renew().then((renewed) => {
              if (!renewed) {
                setNotice('The video file could not be loaded. The link may have expired; reload the page.');
                const err = ref.current?.error;
                trackingRef.current?.fail(
                  `MEDIA_ERR_${err?.code ?? 0}`,
                  err?.message || 'the video file could not be loaded',
                );
              }
            });
          }}
          className={footer ? 'block aspect-video w-full bg-black' : 'min-h-0 w-full flex-1 bg-black'}
          aria-label={`Video player: ${video.title}`}
        />
        {mode !== 'none' && tiles.length > 0 && (
          <PreviewTimeline videoRef={ref} tiles={tiles} marks={marks} duration={video.duration_seconds} />
        )}
      </div>
      {!footer && notice && (
        <p className="absolute left-2 top-2 rounded bg-black/70 px-2 py-1 text-xs text-amber-300" role="status">
          {notice}
        </p>
      )}
      {footer && (
        <div className="mt-2 flex flex-wrap items-center justify-between gap-2 text-xs text-slate-400">
          <span>
            {mode === 'hls'
              ? 'Adaptive streaming (HLS)'
              : mode === 'mp4'
                ? 'Progressive MP4'
                : 'No playable source yet'}
            {notice && (
              <span className="ml-2 text-amber-300" role="status">
                {notice}
              </span>
            )}
          </span>
          {levels.length > 0 && (
            <label className="inline-flex items-center gap-2">
              <Settings2 aria-hidden className="h-4 w-4" />
              <span>Quality</span>
              <select
                className="input w-auto py-1 text-xs"
                value={level}
                onChange={(e) => choose(Number(e.target.value))}
              >
                <option value={-1}>Auto{level === -1 && autoLabel ? ` (${autoLabel})` : ''}</option>
                {levels.map((l) => (
                  <option key={l.index} value={l.index}>
                    {l.label}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
      )}
    </div>
  );
}
