import { useEffect, useState, type ReactNode } from 'react';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Interval } from '@/api/audience';
import { StoryboardTileView } from '@/components/content/StoryboardTileView';
import { tileAt, type StoryboardTile } from '@/lib/content/vtt';
import { formatCount, formatDuration, formatPercent } from '@/lib/format';
import { prefersReducedMotion } from '@/lib/motion';
import type { RetentionPoint, TimePoint } from './transform';

const AXIS = { stroke: '#64748b', fontSize: 12 };
const animate = () => !prefersReducedMotion();
const TOOLTIP = {
  contentStyle: { background: '#0f172a', border: '1px solid #334155', borderRadius: 8, fontSize: 12 },
  labelStyle: { color: '#e2e8f0' },
};

export function Panel({
  title,
  description,
  actions,
  children,
  height = 'h-64',
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  height?: string;
}) {
  return (
    <section className="card p-5" aria-label={title}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 className="text-sm font-semibold text-white">{title}</h2>
          {description && <p className="mt-0.5 text-xs text-slate-500">{description}</p>}
        </div>
        {actions}
      </div>
      <div className={`mt-4 ${height}`}>{children}</div>
    </section>
  );
}

export function NoData({ message = 'No data for this period' }: { message?: string }) {
  return <div className="flex h-full items-center justify-center text-sm text-slate-500">{message}</div>;
}

function formatT(t: string, interval: Interval): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return t;
  return interval === 'hour'
    ? d.toLocaleString('en-US', { month: 'short', day: 'numeric', hour: '2-digit', hour12: false })
    : d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** Views (bars) and watch time (line, minutes) per hour or day. */
export function ViewsChart({ data, interval }: { data: TimePoint[]; interval: Interval }) {
  if (!data.some((p) => p.views > 0 || p.watchMinutes > 0)) return <NoData />;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={data} margin={{ top: 5, right: 0, left: -10, bottom: 0 }}>
        <CartesianGrid stroke="#1e293b" vertical={false} />
        <XAxis dataKey="t" tickFormatter={(t: string) => formatT(t, interval)} minTickGap={24} {...AXIS} />
        <YAxis yAxisId="views" allowDecimals={false} {...AXIS} />
        <YAxis yAxisId="watch" orientation="right" {...AXIS} />
        <Tooltip
          {...TOOLTIP}
          labelFormatter={(t) => formatT(String(t), interval)}
          formatter={(value: number, name: string) =>
            name === 'Watch time (min)' ? [`${value} min`, 'Watch time'] : [formatCount(value), name]
          }
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar
          yAxisId="views"
          isAnimationActive={animate()}
          dataKey="views"
          name="Views"
          fill="#6366f1"
          radius={[3, 3, 0, 0]}
        />
        <Line
          yAxisId="watch"
          isAnimationActive={animate()}
          type="monotone"
          dataKey="watchMinutes"
          name="Watch time (min)"
          stroke="#34d399"
          strokeWidth={2}
          dot={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

/**
 * Draws the frame at a moment of the video into a canvas: a hidden, muted <video> of the MP4 is
 * seeked there and drawn on `seeked`; a request made while a seek is under way waits for it.
 */
export class FramePreview {
  private video: HTMLVideoElement | null = null;
  private canvas: HTMLCanvasElement | null = null;
  private listeners = new Set<(frame: string) => void>();
  private pending: number | null = null;
  private busy = false;

  /** Loads `src` (null: none); returns the function that unloads it. */
  load(src: string | null | undefined): () => void {
    if (!src) return () => undefined;
    const v = document.createElement('video');
    v.muted = true;
    v.preload = 'auto';
    v.playsInline = true;
    v.src = src;
    this.video = v;
    const draw = () => {
      if (v.videoWidth) {
        const c = (this.canvas ??= document.createElement('canvas'));
        c.width = 160;
        c.height = Math.round((160 * v.videoHeight) / v.videoWidth) || 90;
        c.getContext('2d')?.drawImage(v, 0, 0, c.width, c.height);
        try {
          const frame = c.toDataURL('image/jpeg', 0.8);
          for (const l of this.listeners) l(frame);
        } catch {
          // a cross-origin file without CORS taints the canvas: no preview
        }
      }
      this.busy = false;
      if (this.pending !== null) {
        const t = this.pending;
        this.pending = null;
        this.seek(t);
      }
    };
    v.addEventListener('seeked', draw);
    return () => {
      v.removeEventListener('seeked', draw);
      v.removeAttribute('src');
      v.load();
      if (this.video === v) this.video = null;
    };
  }

  /** Calls `listener` with each frame drawn (a data: URL); returns the unsubscribe function. */
  subscribe(listener: (frame: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  readonly show = (time: number) => {
    if (this.busy) this.pending = time;
    else this.seek(time);
  };

  private seek(time: number) {
    if (!this.video) return;
    this.busy = true;
    this.video.currentTime = time;
  }
}

export function useFramePreview(src: string | null | undefined): { preview: FramePreview; available: boolean } {
  const [preview] = useState(() => new FramePreview());
  useEffect(() => preview.load(src), [preview, src]);
  return { preview, available: Boolean(src) };
}

function RetentionTooltip({
  active,
  payload,
  preview,
  available,
  tiles = [],
  scenes = [],
}: {
  active?: boolean;
  payload?: Array<{ payload: RetentionPoint }>;
  preview: FramePreview;
  available: boolean;
  tiles?: readonly StoryboardTile[];
  scenes?: readonly number[];
}) {
  const point = active && payload?.length ? payload[0].payload : null;
  const time = point?.time ?? null;
  const [frame, setFrame] = useState<string | null>(null);
  useEffect(() => preview.subscribe(setFrame), [preview]);
  useEffect(() => {
    if (time !== null) preview.show(time);
  }, [time, preview]);
  if (!point) return null;
  const tile = tileAt(tiles, point.time);
  // A cut within a second of this point explains a step in the curve.
  const cut = scenes.find((t) => Math.abs(t - point.time) <= 1);
  return (
    <div
      className="rounded-lg border border-slate-700 bg-slate-950/95 p-2 text-xs shadow-lg"
      data-testid="retention-tooltip"
    >
      {tile ? (
        <StoryboardTileView
          tile={tile}
          width={160}
          className="mb-1 rounded"
          label={`Frame at ${formatDuration(point.time)}`}
        />
      ) : (
        available && (
          <img
            src={frame ?? undefined}
            width={160}
            height={90}
            className="mb-1 block h-[90px] w-40 rounded bg-black object-contain"
            alt={`Frame at ${formatDuration(point.time)}`}
          />
        )
      )}
      <p className="font-medium text-slate-200">{formatDuration(point.time)}</p>
      <p className="text-indigo-300">Still watching: {formatPercent(point.retention)}</p>
      {point.rewatch != null && <p className="text-amber-300">Re-watched: {formatPercent(point.rewatch)}</p>}
      {cut !== undefined && <p className="text-violet-300">Scene cut at {formatDuration(cut)}</p>}
    </div>
  );
}

/**
 * Audience retention over the video; hovering shows the frame at that moment (the storyboard's
 * tile when there is one, else a frame seeked in the MP4). Scene cuts, when known, are drawn as
 * vertical lines on the same time axis, so a drop can be read against what happened on screen.
 */
export function RetentionChart({
  data,
  frameSrc,
  scenes = [],
  tiles = [],
  duration,
}: {
  data: RetentionPoint[];
  frameSrc?: string | null;
  /** Scene cut times, seconds. */
  scenes?: readonly number[];
  tiles?: readonly StoryboardTile[];
  /** The video's duration, for the axis (else the last point). */
  duration?: number | null;
}) {
  const { preview, available } = useFramePreview(tiles.length ? null : frameSrc);
  if (!data.length) return <NoData />;
  const hasRewatch = data.some((p) => (p.rewatch ?? 0) > 0);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <AreaChart data={data} margin={{ top: 5, right: 10, left: -10, bottom: 0 }}>
        <defs>
          <linearGradient id="gRetention" x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor="#6366f1" stopOpacity={0.5} />
            <stop offset="100%" stopColor="#6366f1" stopOpacity={0} />
          </linearGradient>
        </defs>
        <CartesianGrid stroke="#1e293b" vertical={false} />
        <XAxis
          dataKey="time"
          type="number"
          domain={[0, duration && duration > 0 ? duration : 'dataMax']}
          tickFormatter={(t: number) => formatDuration(t)}
          {...AXIS}
        />
        <YAxis
          domain={[0, (max: number) => Math.max(1, max)]}
          tickFormatter={(v: number) => formatPercent(v, 0)}
          {...AXIS}
        />
        {scenes.map((t) => (
          <ReferenceLine
            key={t}
            x={t}
            stroke="#a78bfa"
            strokeDasharray="3 3"
            strokeOpacity={0.8}
            ifOverflow="hidden"
            className="scene-cut"
          />
        ))}
        <Tooltip
          content={<RetentionTooltip preview={preview} available={available} tiles={tiles} scenes={scenes} />}
          isAnimationActive={false}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Area
          isAnimationActive={animate()}
          type="stepAfter"
          dataKey="retention"
          name="Audience (first plays)"
          stroke="#818cf8"
          fill="url(#gRetention)"
          strokeWidth={2}
        />
        {hasRewatch && (
          <Area
            isAnimationActive={animate()}
            type="stepAfter"
            dataKey="rewatch"
            name="Re-watches"
            stroke="#fbbf24"
            fill="none"
            strokeWidth={2}
          />
        )}
      </AreaChart>
    </ResponsiveContainer>
  );
}

export function StartupHistogram({ data }: { data: Array<{ label: string; count: number }> }) {
  if (!data.some((d) => d.count > 0)) return <NoData message="No startups measured in this period" />;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 5, right: 10, left: -10, bottom: 0 }}>
        <CartesianGrid stroke="#1e293b" vertical={false} />
        <XAxis dataKey="label" {...AXIS} interval={0} angle={-30} textAnchor="end" height={50} />
        <YAxis allowDecimals={false} {...AXIS} />
        <Tooltip {...TOOLTIP} cursor={{ fill: '#1e293b' }} />
        <Bar isAnimationActive={animate()} dataKey="count" name="Plays" fill="#22d3ee" radius={[4, 4, 0, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function BreakdownChart({ data }: { data: Array<{ label: string; plays: number }> }) {
  if (!data.length) return <NoData />;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} layout="vertical" margin={{ top: 5, right: 10, left: 0, bottom: 0 }} barCategoryGap={4}>
        <CartesianGrid stroke="#1e293b" horizontal={false} />
        <XAxis type="number" allowDecimals={false} {...AXIS} />
        <YAxis type="category" dataKey="label" width={110} {...AXIS} />
        <Tooltip {...TOOLTIP} cursor={{ fill: '#1e293b' }} />
        <Bar isAnimationActive={animate()} dataKey="plays" name="Plays" fill="#a78bfa" radius={[0, 4, 4, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}
