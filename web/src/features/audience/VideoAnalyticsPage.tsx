// One video's audience (/videos/{id}/analytics): KPIs against the previous period, views and watch
// time over the range, retention, quality of experience, breakdowns and the viewers right now.
// For the owner, moderators and admins; anyone else gets the server's 404.
import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, Clock, Download, Eye, Gauge, Percent, PlayCircle, Radio, Timer, Users, Zap } from 'lucide-react';
import {
  audienceKeys,
  DIMENSIONS,
  getRealtime,
  getVideoBreakdown,
  getVideoOverview,
  getVideoQoe,
  getVideoRetention,
  getVideoTimeseries,
  sessionsExportUrl,
  type Dimension,
  type Interval,
  type Qoe,
  type VideoOverview,
} from '@/api/audience';
import { ApiError, errorMessage } from '@/api/errors';
import { videoQuery } from '@/api/queries';
import { EmptyState, ErrorState, KpiCard, LoadingState, PageHeader } from '@/components';
import { ChangeBadge } from '@/components/ChangeBadge';
import { DateRangePicker } from '@/components/DateRangePicker';
import { cn } from '@/lib/cn';
import { contentQuery, hasAnalysis, useStoryboard } from '@/lib/content/api';
import { rangeFromParams, rangeToParams, resolveRange, type RangeChoice } from '@/lib/dateRange';
import { formatBitrate, formatCount, formatDuration, formatPercent, formatSeconds } from '@/lib/format';
import { BreakdownChart, NoData, Panel, RetentionChart, StartupHistogram, ViewsChart } from './AudienceCharts';
import { breakdownValue, dimensionLabel, formatMs, mergeTimeseries, retentionSeries, startupBars } from './transform';

/** Live viewers are asked for this often. */
export const REALTIME_REFRESH_MS = 10_000;

function Kpis({ o }: { o: VideoOverview }) {
  const p = o.previous ?? null;
  const cards: Array<{
    label: string;
    value: string;
    cur: number | null | undefined;
    prev: number | null | undefined;
    lower?: boolean;
    icon: React.ReactNode;
  }> = [
    {
      label: 'Plays',
      value: formatCount(o.plays),
      cur: o.plays,
      prev: p?.plays,
      icon: <PlayCircle className="h-4 w-4" />,
    },
    { label: 'Views', value: formatCount(o.views), cur: o.views, prev: p?.views, icon: <Eye className="h-4 w-4" /> },
    {
      label: 'Unique viewers',
      value: formatCount(o.unique_viewers),
      cur: o.unique_viewers,
      prev: p?.unique_viewers,
      icon: <Users className="h-4 w-4" />,
    },
    {
      label: 'Watch time',
      value: formatWatchTime(o.watch_time_seconds),
      cur: o.watch_time_seconds,
      prev: p?.watch_time_seconds,
      icon: <Clock className="h-4 w-4" />,
    },
    {
      label: 'Avg view duration',
      value: formatSeconds(o.avg_view_duration_seconds),
      cur: o.avg_view_duration_seconds,
      prev: p?.avg_view_duration_seconds,
      icon: <Timer className="h-4 w-4" />,
    },
    {
      label: 'Avg % viewed',
      value: formatPercent(o.avg_percentage_viewed),
      cur: o.avg_percentage_viewed,
      prev: p?.avg_percentage_viewed,
      icon: <Percent className="h-4 w-4" />,
    },
    {
      label: 'Completion rate',
      value: formatPercent(o.completion_rate),
      cur: o.completion_rate,
      prev: p?.completion_rate,
      icon: <Percent className="h-4 w-4" />,
    },
    {
      label: 'Startup time (p50)',
      value: formatMs(o.startup_time_ms_p50),
      cur: o.startup_time_ms_p50,
      prev: p?.startup_time_ms_p50,
      lower: true,
      icon: <Zap className="h-4 w-4" />,
    },
    {
      label: 'Rebuffering',
      value: formatPercent(o.rebuffer_percentage, 2),
      cur: o.rebuffer_percentage,
      prev: p?.rebuffer_percentage,
      lower: true,
      icon: <Gauge className="h-4 w-4" />,
    },
  ];
  return (
    <div className="grid grid-cols-2 gap-4 md:grid-cols-3 xl:grid-cols-5">
      {cards.map((c) => (
        <KpiCard
          key={c.label}
          label={c.label}
          value={c.value}
          icon={c.icon}
          hint={p ? <ChangeBadge current={c.cur} previous={c.prev} lowerIsBetter={c.lower} /> : undefined}
        />
      ))}
    </div>
  );
}

/** 5400 → "1.5 h"; 600 → "10.0 min"; 42 → "42 s". */
export function formatWatchTime(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  return `${formatCount(Math.round((seconds / 3600) * 10) / 10)} h`;
}

function Score({ label, value }: { label: string; value: number | null | undefined }) {
  const v = value == null || !Number.isFinite(value) ? null : Math.round(value);
  const tone = v == null ? 'bg-slate-700' : v >= 90 ? 'bg-emerald-500' : v >= 70 ? 'bg-amber-400' : 'bg-rose-500';
  return (
    <div>
      <div className="flex justify-between text-xs">
        <span className="text-slate-400">{label}</span>
        <span className="tabular-nums text-slate-200">{v ?? '—'}</span>
      </div>
      <div
        className="mt-1 h-1.5 rounded-full bg-slate-800"
        role="meter"
        aria-label={`${label} score`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={v ?? 0}
      >
        <div className={cn('h-1.5 rounded-full', tone)} style={{ width: `${v ?? 0}%` }} />
      </div>
    </div>
  );
}

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="flex justify-between gap-3 py-1.5 text-sm">
      <dt className="text-slate-400" title={hint}>
        {label}
      </dt>
      <dd className="tabular-nums text-slate-200">{value}</dd>
    </div>
  );
}

function QoePanel({ qoe }: { qoe: Qoe }) {
  const s = qoe.scores ?? ({} as Qoe['scores']);
  return (
    <section className="card p-5" aria-label="Quality of experience">
      <h2 className="text-sm font-semibold text-white">Quality of experience</h2>
      <p className="mt-0.5 text-xs text-slate-500">Scores 0–100 with Mux’s formulas (docs/analytics.md)</p>
      <div className="mt-4 grid gap-6 lg:grid-cols-3">
        <div className="space-y-3">
          <Score label="Viewer experience" value={s.overall} />
          <Score label="Playback success" value={s.playback_success} />
          <Score label="Startup time" value={s.startup} />
          <Score label="Smoothness" value={s.smoothness} />
          <Score label="Video quality" value={s.video_quality} />
        </div>
        <dl className="divide-y divide-slate-800">
          <Figure label="Startup p50" value={formatMs(qoe.startup_time_ms_p50)} />
          <Figure label="Startup p95" value={formatMs(qoe.startup_time_ms_p95)} />
          <Figure label="Rebuffer percentage" value={formatPercent(qoe.rebuffer_percentage, 2)} />
          <Figure
            label="Rebuffer frequency"
            value={qoe.rebuffer_frequency == null ? '—' : `${qoe.rebuffer_frequency.toFixed(2)} / min`}
          />
          <Figure label="Playback failures" value={formatPercent(qoe.playback_failure_percentage)} />
          <Figure
            label="Exits before start"
            value={formatCount(qoe.exits_before_start)}
            hint="Plays left before the first frame, without an error"
          />
          <Figure
            label="Rendition switches"
            value={qoe.rendition_switches == null ? '—' : `${qoe.rendition_switches.toFixed(2)} / play`}
          />
          <Figure label="Average bitrate" value={formatBitrate(qoe.avg_bitrate)} />
          <Figure
            label="Upscaled"
            value={formatPercent(qoe.upscale_percentage)}
            hint="Watch time where the rendition was smaller than the player"
          />
        </dl>
        <div className="h-56" aria-label="Startup time histogram" role="figure">
          <StartupHistogram data={startupBars(qoe.startup_histogram ?? [])} />
        </div>
      </div>
    </section>
  );
}

function LiveViewers({ videoId }: { videoId: string }) {
  const { data } = useQuery({
    queryKey: [...audienceKeys.all, 'realtime'],
    queryFn: ({ signal }) => getRealtime(signal),
    refetchInterval: REALTIME_REFRESH_MS,
  });
  const here = data?.videos.find((v) => v.video_id === videoId)?.viewers ?? 0;
  return (
    <div className="card flex items-center gap-2 px-3 py-2 text-sm" role="status" aria-label="Live viewers">
      <Radio aria-hidden className={cn('h-4 w-4', here > 0 ? 'text-rose-400' : 'text-slate-500')} />
      <span className="tabular-nums text-white">{data ? formatCount(here) : '—'}</span>
      <span className="text-slate-400">watching now</span>
    </div>
  );
}

export function VideoAnalyticsPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const choice = rangeFromParams(params);
  const choiceKey = JSON.stringify(choice);
  // Resolved once per choice, so the queries' keys stay put while the page is open.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const range = useMemo(() => resolveRange(choice), [choiceKey]);
  const interval: Interval =
    params.get('interval') === 'hour' || params.get('interval') === 'day'
      ? (params.get('interval') as Interval)
      : range.days <= 7
        ? 'hour'
        : 'day';
  const [dimension, setDimension] = useState<Dimension>('country');
  const r = { from: range.from, to: range.to };
  const key = [...audienceKeys.video(id), range.from, range.to] as const;

  const video = useQuery(videoQuery(id));
  // The content analysis puts scene cuts (and storyboard frames) on the retention chart; without
  // one (a 404) the chart is drawn as before.
  const content = useQuery({ ...contentQuery(id), enabled: hasAnalysis(video.data) });
  const tiles = useStoryboard(content.data?.storyboard?.vtt_url);
  const sceneCuts = useMemo(() => (content.data?.scenes ?? []).map((s) => s.time), [content.data]);
  const overview = useQuery({
    queryKey: [...key, 'overview'],
    queryFn: ({ signal }) => getVideoOverview(id, r, signal),
  });
  const views = useQuery({
    queryKey: [...key, 'timeseries', 'views', interval],
    queryFn: ({ signal }) => getVideoTimeseries(id, 'views', interval, r, signal),
  });
  const watch = useQuery({
    queryKey: [...key, 'timeseries', 'watch_time_seconds', interval],
    queryFn: ({ signal }) => getVideoTimeseries(id, 'watch_time_seconds', interval, r, signal),
  });
  const retention = useQuery({
    queryKey: [...key, 'retention'],
    queryFn: ({ signal }) => getVideoRetention(id, r, signal),
  });
  const qoe = useQuery({ queryKey: [...key, 'qoe'], queryFn: ({ signal }) => getVideoQoe(id, r, signal) });
  const breakdown = useQuery({
    queryKey: [...key, 'breakdown', dimension],
    queryFn: ({ signal }) => getVideoBreakdown(id, dimension, r, signal),
  });

  const setChoice = (next: RangeChoice) => setParams(rangeToParams(next, params), { replace: true });
  const setInterval = (next: Interval) => {
    const p = new URLSearchParams(params);
    p.set('interval', next);
    setParams(p, { replace: true });
  };

  if (overview.isPending) return <LoadingState label="Loading analytics…" />;
  if (!overview.data) {
    const denied = overview.error instanceof ApiError && [403, 404].includes(overview.error.status);
    return (
      <ErrorState
        title={denied ? 'No analytics for you here' : 'Could not load analytics'}
        message={
          denied
            ? 'This video does not exist, or its analytics belong to its owner, moderators and admins.'
            : errorMessage(overview.error)
        }
        onRetry={denied ? undefined : () => void overview.refetch()}
      />
    );
  }
  const o = overview.data;
  const title = video.data?.title ?? 'Video';
  const duration = video.data?.duration_seconds ?? null;

  return (
    <div>
      <Link to={`/watch/${id}`} className="btn-ghost -ml-3 mb-4 px-3 py-1.5 text-sm">
        <ArrowLeft aria-hidden className="h-4 w-4" /> Back to the video
      </Link>
      <PageHeader
        title={`Analytics: ${title}`}
        subtitle={`${range.label} · compared with the ${range.days} days before`}
        actions={
          <>
            <LiveViewers videoId={id} />
            <a className="btn-secondary" href={sessionsExportUrl(r, id)} download>
              <Download aria-hidden className="h-4 w-4" /> CSV
            </a>
          </>
        }
      />
      <div className="mb-4">
        <DateRangePicker value={choice} onChange={setChoice} />
      </div>
      {o.plays === 0 && (
        <div className="mb-4">
          <EmptyState
            title="No plays in this period"
            message="Nobody played this video in the chosen range (the owner’s own plays and bots are not counted). Try a longer range."
          />
        </div>
      )}
      <Kpis o={o} />

      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <Panel
          title="Views and watch time"
          description={`Per ${interval}`}
          actions={
            <div role="group" aria-label="Interval" className="flex rounded-lg border border-slate-700 p-0.5">
              {(['hour', 'day'] as const).map((i) => (
                <button
                  key={i}
                  type="button"
                  aria-pressed={interval === i}
                  className={cn(
                    'btn px-2 py-1 text-xs',
                    interval === i ? 'bg-slate-700 text-white' : 'text-slate-400 hover:text-white',
                  )}
                  onClick={() => setInterval(i)}
                >
                  {i === 'hour' ? 'Hourly' : 'Daily'}
                </button>
              ))}
            </div>
          }
        >
          {views.error || watch.error ? (
            <NoData message={errorMessage(views.error ?? watch.error)} />
          ) : views.data && watch.data ? (
            <ViewsChart data={mergeTimeseries(views.data.points, watch.data.points)} interval={interval} />
          ) : (
            <NoData message="Loading…" />
          )}
        </Panel>
        <Panel
          title="Audience retention"
          description={
            retention.data
              ? `${formatCount(retention.data.plays)} plays · ${formatDuration(retention.data.duration_seconds ?? duration)} · hover to see the frame${sceneCuts.length ? ' · dashed lines: scene cuts' : ''}`
              : undefined
          }
        >
          {retention.error ? (
            <NoData message={errorMessage(retention.error)} />
          ) : retention.data ? (
            retention.data.plays > 0 ? (
              <RetentionChart
                data={retentionSeries(retention.data, duration)}
                frameSrc={video.data?.video_url}
                scenes={sceneCuts}
                tiles={tiles}
                duration={retention.data.duration_seconds ?? duration}
              />
            ) : (
              <NoData />
            )
          ) : (
            <NoData message="Loading…" />
          )}
        </Panel>
      </div>

      <div className="mt-4">
        {qoe.error ? (
          <ErrorState title="Could not load the quality figures" message={errorMessage(qoe.error)} />
        ) : qoe.data ? (
          <QoePanel qoe={qoe.data} />
        ) : (
          <LoadingState label="Loading quality figures…" />
        )}
      </div>

      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Panel
            title="Breakdown"
            description={`Plays by ${dimensionLabel(dimension).toLowerCase()}`}
            actions={
              <label className="flex items-center gap-2 text-xs text-slate-400">
                By
                <select
                  className="input w-auto py-1 text-xs"
                  value={dimension}
                  onChange={(e) => setDimension(e.target.value as Dimension)}
                >
                  {DIMENSIONS.map((d) => (
                    <option key={d} value={d}>
                      {dimensionLabel(d)}
                    </option>
                  ))}
                </select>
              </label>
            }
          >
            {breakdown.error ? (
              <NoData message={errorMessage(breakdown.error)} />
            ) : breakdown.data ? (
              <BreakdownChart
                data={breakdown.data.items
                  .slice(0, 10)
                  .map((i) => ({ label: breakdownValue(dimension, i), plays: i.plays }))}
              />
            ) : (
              <NoData message="Loading…" />
            )}
          </Panel>
        </div>
        <section className="card overflow-x-auto" aria-label="Breakdown table">
          <table className="min-w-full divide-y divide-slate-800 text-sm">
            <thead>
              <tr>
                <th scope="col" className="th pl-4">
                  {dimensionLabel(dimension)}
                </th>
                <th scope="col" className="th text-right">
                  Plays
                </th>
                <th scope="col" className="th text-right">
                  Views
                </th>
                <th scope="col" className="th pr-4 text-right">
                  Watch time
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-800/70">
              {(breakdown.data?.items ?? []).map((i) => (
                <tr key={i.value ?? '∅'}>
                  <td className="td max-w-[10rem] truncate pl-4">{breakdownValue(dimension, i)}</td>
                  <td className="td text-right tabular-nums">{formatCount(i.plays)}</td>
                  <td className="td text-right tabular-nums">{formatCount(i.views)}</td>
                  <td className="td pr-4 text-right tabular-nums">{formatWatchTime(i.watch_time_seconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {breakdown.data && breakdown.data.items.length === 0 && (
            <p className="p-4 text-sm text-slate-500">Nothing recorded for this dimension.</p>
          )}
        </section>
      </div>
    </div>
  );
}
