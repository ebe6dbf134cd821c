// A seek strip under the player that shows the storyboard tile of the moment under the pointer
// (docs/content-analysis.md, "storyboard"). It works the same for HLS and MP4: it only reads the
// element's time and sets `currentTime` on a click or a key, like the native controls do, so the
// audience tracker sees an ordinary seek.
import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { StoryboardTileView } from '@/components/content/StoryboardTileView';
import { pointerToTime, timeToFraction } from '@/lib/content/timeline';
import { spriteUrls, tileAt, type StoryboardTile } from '@/lib/content/vtt';
import { formatDuration } from '@/lib/format';

const PREVIEW_WIDTH = 160;
const KEY_STEP_SECONDS = 5;

function usePlayhead(videoRef: RefObject<HTMLVideoElement>, fallbackDuration: number | null | undefined) {
  const [state, setState] = useState({ time: 0, duration: 0, buffered: 0 });
  useEffect(() => {
    const el = videoRef.current;
    if (!el) return;
    const update = () => {
      const d = Number.isFinite(el.duration) && el.duration > 0 ? el.duration : (fallbackDuration ?? 0);
      const b = el.buffered.length ? el.buffered.end(el.buffered.length - 1) : 0;
      setState({ time: el.currentTime, duration: d, buffered: b });
    };
    update();
    const events = ['timeupdate', 'durationchange', 'loadedmetadata', 'progress', 'seeking', 'emptied'];
    events.forEach((e) => el.addEventListener(e, update));
    return () => events.forEach((e) => el.removeEventListener(e, update));
  }, [videoRef, fallbackDuration]);
  return state;
}

export function PreviewTimeline({
  videoRef,
  tiles,
  marks = [],
  duration: fallbackDuration,
}: {
  videoRef: RefObject<HTMLVideoElement>;
  tiles: readonly StoryboardTile[];
  /** Moments to tick on the strip (scene cuts), seconds. */
  marks?: readonly number[];
  /** The catalog's duration, used until the element knows its own. */
  duration?: number | null;
}) {
  const barRef = useRef<HTMLDivElement>(null);
  const { time, duration, buffered } = usePlayhead(videoRef, fallbackDuration);
  const [hover, setHover] = useState<{ x: number; width: number; time: number } | null>(null);

  // The sprite sheets are fetched when the pointer first comes near (a few small JPEGs), not for
  // every viewer who never hovers.
  const [warm, setWarm] = useState(false);
  useEffect(() => {
    if (!warm) return;
    const images = spriteUrls(tiles).map((url) => {
      const image = new Image();
      image.src = url;
      return image;
    });
    return () => images.forEach((image) => image.removeAttribute('src'));
  }, [warm, tiles]);

  const seek = (t: number) => {
    const el = videoRef.current;
    if (!el || !(duration > 0)) return;
    el.currentTime = Math.min(Math.max(0, t), duration);
  };
  const pointerTime = (e: { clientX: number }) => {
    const rect = barRef.current?.getBoundingClientRect();
    if (!rect) return null;
    const x = Math.min(Math.max(0, e.clientX - rect.left), rect.width);
    return { x, width: rect.width, time: pointerToTime(x, rect.width, duration) };
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowLeft: -KEY_STEP_SECONDS, ArrowRight: KEY_STEP_SECONDS }[e.key];
    if (step !== undefined) seek(time + step);
    else if (e.key === 'Home') seek(0);
    else if (e.key === 'End') seek(duration);
    else return;
    e.preventDefault();
  };

  const tile = hover ? tileAt(tiles, hover.time) : null;
  const previewWidth = tile ? PREVIEW_WIDTH : 64;
  const left = hover ? Math.min(Math.max(0, hover.x - previewWidth / 2), Math.max(0, hover.width - previewWidth)) : 0;

  return (
    <div
      className="group/timeline relative bg-black px-2 py-1.5"
      data-testid="preview-timeline"
      onMouseEnter={() => setWarm(true)}
      onFocus={() => setWarm(true)}
    >
      <div
        ref={barRef}
        role="slider"
        tabIndex={0}
        aria-label="Seek (hover to preview)"
        aria-valuemin={0}
        aria-valuemax={Math.round(duration)}
        aria-valuenow={Math.round(time)}
        aria-valuetext={`${formatDuration(time)} of ${formatDuration(duration)}`}
        className="relative h-1.5 cursor-pointer rounded-full bg-slate-700 transition-[height] focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-400 group-hover/timeline:h-2.5"
        onMouseMove={(e) => setHover(pointerTime(e))}
        onMouseLeave={() => setHover(null)}
        onClick={(e) => {
          const p = pointerTime(e);
          if (p) seek(p.time);
        }}
        onKeyDown={onKey}
      >
        <div
          className="absolute inset-y-0 left-0 rounded-full bg-slate-500"
          style={{ width: `${timeToFraction(buffered, duration) * 100}%` }}
        />
        <div
          className="absolute inset-y-0 left-0 rounded-full bg-brand-500"
          style={{ width: `${timeToFraction(time, duration) * 100}%` }}
        />
        {marks.map((t) => (
          <div
            key={t}
            className="pointer-events-none absolute inset-y-0 w-0.5 bg-violet-300/80"
            style={{ left: `${timeToFraction(t, duration) * 100}%` }}
            aria-hidden
            data-testid="timeline-mark"
          />
        ))}
        {hover && (
          <div
            className="pointer-events-none absolute inset-y-0 w-0.5 bg-white/70"
            style={{ left: hover.x }}
            aria-hidden
          />
        )}
      </div>
      {hover && (
        <div
          className="pointer-events-none absolute bottom-full z-10 mb-1 overflow-hidden rounded-md bg-slate-950/95 shadow-lg ring-1 ring-slate-600"
          style={{ left: left + 8, width: previewWidth }}
          data-testid="storyboard-preview"
          role="tooltip"
        >
          {tile && (
            <StoryboardTileView tile={tile} width={PREVIEW_WIDTH} label={`Preview at ${formatDuration(hover.time)}`} />
          )}
          <p className="px-1 py-0.5 text-center text-xs tabular-nums text-slate-100">{formatDuration(hover.time)}</p>
        </div>
      )}
    </div>
  );
}
