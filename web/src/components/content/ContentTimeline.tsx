// The content analysis on one timeline (docs/content-analysis.md): the waveform (peak and RMS),
// the scene cuts, and the black, frozen and silent segments, one lane each, all scaled to the
// video's duration. Hovering shows the time and, with a storyboard, the frame there.
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { levelHeight, pointerToTime, segmentBox, timeToFraction, waveformBars } from '@/lib/content/timeline';
import type { ContentAnalysis, Segment } from '@/lib/content/types';
import { tileAt, type StoryboardTile } from '@/lib/content/vtt';
import { formatDuration } from '@/lib/format';
import { StoryboardTileView } from './StoryboardTileView';

const WAVEFORM_BARS = 240;
const PREVIEW_WIDTH = 160;

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(3)}%`;
}

function Waveform({ analysis }: { analysis: ContentAnalysis }) {
  const bars = useMemo(
    () => (analysis.waveform ? waveformBars(analysis.waveform, analysis.duration_seconds, WAVEFORM_BARS) : []),
    [analysis.waveform, analysis.duration_seconds],
  );
  if (!analysis.waveform) {
    return <p className="flex h-full items-center text-xs text-slate-500">No audio track</p>;
  }
  return (
    <svg
      viewBox={`0 0 ${bars.length || 1} 100`}
      preserveAspectRatio="none"
      className="h-full w-full"
      role="img"
      aria-label="Audio waveform: peak (light) and RMS (dark), −60 to 0 dBFS"
      data-testid="waveform"
    >
      <line
        x1={0}
        x2={bars.length}
        y1={50}
        y2={50}
        stroke="#334155"
        strokeWidth={0.5}
        vectorEffect="non-scaling-stroke"
      />
      {bars.map((b, i) => {
        const peak = levelHeight(b.peak);
        const rms = levelHeight(b.rms);
        return (
          <g key={i}>
            {peak > 0 && (
              <rect x={i} width={1} y={50 - peak * 50} height={peak * 100} fill="#5eead4" fillOpacity={0.35} />
            )}
            {rms > 0 && <rect x={i} width={1} y={50 - rms * 50} height={rms * 100} fill="#14b8a6" />}
          </g>
        );
      })}
    </svg>
  );
}

function Lane({
  segments,
  duration,
  tone,
  name,
}: {
  segments: Segment[];
  duration: number;
  tone: string;
  name: string;
}) {
  return (
    <>
      {segments.map((s, i) => {
        const box = segmentBox(s, duration);
        if (!box) return null;
        const label = `${name} ${formatDuration(s.start)}–${formatDuration(s.end)} (${(s.end - s.start).toFixed(1)} s)`;
        return (
          <div
            key={i}
            className={`absolute inset-y-0.5 min-w-[2px] rounded-sm ${tone}`}
            style={{ left: pct(box.left), width: pct(box.width) }}
            title={label}
            aria-label={label}
            role="img"
          />
        );
      })}
    </>
  );
}

function Row({ label, children, className = 'h-5' }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className="grid grid-cols-[4.5rem_1fr] items-center gap-2">
      <span className="text-xs text-slate-400">{label}</span>
      <div className={`relative rounded bg-slate-800/50 ${className}`}>{children}</div>
    </div>
  );
}

export function ContentTimeline({
  analysis,
  tiles,
  onSeek,
}: {
  analysis: ContentAnalysis;
  tiles: readonly StoryboardTile[];
  /** Called with the time under the pointer on a click (the page's player goes there). */
  onSeek?: (time: number) => void;
}) {
  const duration = analysis.duration_seconds;
  const tracksRef = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<{ x: number; width: number; time: number } | null>(null);
  const tile = hover ? tileAt(tiles, hover.time) : null;
  const previewWidth = tile ? PREVIEW_WIDTH : 64;
  const ticks = [0, 0.25, 0.5, 0.75, 1];

  return (
    <div className="relative">
      <div
        ref={tracksRef}
        className="space-y-1.5"
        data-testid="content-timeline"
        onMouseMove={(e) => {
          const rect = tracksRef.current?.getBoundingClientRect();
          if (!rect) return;
          // The tracks start after the label column (4.5rem + the gap).
          const offset = 80;
          const width = rect.width - offset;
          const x = e.clientX - rect.left - offset;
          setHover(x < 0 ? null : { x, width, time: pointerToTime(x, width, duration) });
        }}
        onMouseLeave={() => setHover(null)}
        onClick={() => hover && onSeek?.(hover.time)}
        style={onSeek ? { cursor: 'pointer' } : undefined}
      >
        <Row label="Waveform" className="h-16">
          <Waveform analysis={analysis} />
        </Row>
        <Row label="Scenes">
          {analysis.scenes.map((s) => (
            <div
              key={s.time}
              className="absolute inset-y-0 w-0.5 bg-violet-400"
              style={{ left: pct(timeToFraction(s.time, duration)) }}
              title={`Cut at ${formatDuration(s.time)} (score ${s.score.toFixed(0)})`}
              aria-label={`Scene cut at ${formatDuration(s.time)}`}
              role="img"
            />
          ))}
        </Row>
        <Row label="Black">
          <Lane segments={analysis.black} duration={duration} tone="bg-slate-200" name="Black" />
        </Row>
        <Row label="Frozen">
          <Lane segments={analysis.freeze} duration={duration} tone="bg-sky-400" name="Frozen" />
        </Row>
        <Row label="Silent">
          <Lane segments={analysis.silence} duration={duration} tone="bg-amber-400" name="Silent" />
        </Row>
        <div className="grid grid-cols-[4.5rem_1fr] gap-2" aria-hidden>
          <span />
          <div className="relative h-4 text-[10px] tabular-nums text-slate-500">
            {ticks.map((t) => (
              <span
                key={t}
                className="absolute -translate-x-1/2 first:translate-x-0 last:-translate-x-full"
                style={{ left: pct(t) }}
              >
                {formatDuration(t * duration)}
              </span>
            ))}
          </div>
        </div>
        {hover && (
          <div
            className="pointer-events-none absolute bottom-5 top-0 w-px bg-white/60"
            style={{ left: 80 + hover.x }}
            aria-hidden
          />
        )}
      </div>
      {hover && (
        <div
          className="pointer-events-none absolute bottom-full z-10 mb-1 overflow-hidden rounded-md bg-slate-950/95 shadow-lg ring-1 ring-slate-600"
          style={{
            left: 80 + Math.min(Math.max(0, hover.x - previewWidth / 2), Math.max(0, hover.width - previewWidth)),
            width: previewWidth,
          }}
          data-testid="content-preview"
        >
          {tile && <StoryboardTileView tile={tile} width={PREVIEW_WIDTH} />}
          <p className="px-1 py-0.5 text-center text-xs tabular-nums text-slate-100">{formatDuration(hover.time)}</p>
        </div>
      )}
    </div>
  );
}
