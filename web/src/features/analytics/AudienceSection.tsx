// The dashboard's audience figures (GET /api/analytics/overview): watch time, unique viewers,
// quality of experience and the top videos by watch time over a chosen range, against the period
// before, with the view sessions as CSV. The caller's videos; every video for moderators and admins.
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Clock, Download, Eye, Gauge, PlayCircle, Radio, Users, Zap } from 'lucide-react';
import { audienceKeys, getRealtime, getSiteOverview, sessionsExportUrl } from '@/api/audience';
import { errorMessage } from '@/api/errors';
import { KpiCard } from '@/components';
import { ChangeBadge } from '@/components/ChangeBadge';
import { DateRangePicker } from '@/components/DateRangePicker';
import { rangeFromParams, rangeToParams, resolveRange, type RangeChoice } from '@/lib/dateRange';
import { formatCount, formatPercent } from '@/lib/format';

const REALTIME_REFRESH_MS = 10_000;

function watchTime(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  return `${formatCount(Math.round((seconds / 3600) * 10) / 10)} h`;
}

function ms(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '—';
  return v < 1000 ? `${Math.round(v)} ms` : `${Number((v / 1000).toFixed(2))} s`;
}

export function AudienceSection() {
  const [params, setParams] = useSearchParams();
  const choice = rangeFromParams(params);
  const choiceKey = JSON.stringify(choice);
  // Resolved once per choice, so the query's key stays put while the page is open.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const range = useMemo(() => resolveRange(choice), [choiceKey]);
  const r = { from: range.from, to: range.to };
  const { data, error, isPending } = useQuery({
    queryKey: [...audienceKeys.all, 'site', range.from, range.to],
    queryFn: ({ signal }) => getSiteOverview(r, signal),
  });
  const live = useQuery({
    queryKey: [...audienceKeys.all, 'realtime'],
    queryFn: ({ signal }) => getRealtime(signal),
    refetchInterval: REALTIME_REFRESH_MS,
  });
  const setChoice = (next: RangeChoice) => setParams(rangeToParams(next, params), { replace: true });
  const p = data?.previous;

  return (
    <section className="mt-8" aria-labelledby="audience-title">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="audience-title" className="text-lg font-semibold text-white">
            Audience
          </h2>
          <p className="text-sm text-slate-400">
            {range.label}, measured from playback · compared with the {range.days} days before
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <span className="card flex items-center gap-2 px-3 py-2 text-sm" role="status" aria-label="Watching now">
            <Radio aria-hidden className="h-4 w-4 text-rose-400" />
            <span className="tabular-nums text-white">{formatCount(live.data?.viewers_now)}</span>
            <span className="text-slate-400">watching now · peak today {formatCount(live.data?.peak_today)}</span>
          </span>
          <a className="btn-secondary" href={sessionsExportUrl(r)} download>
            <Download aria-hidden className="h-4 w-4" /> Download CSV
          </a>
        </div>
      </div>
      <div className="mb-4">
        <DateRangePicker value={choice} onChange={setChoice} />
      </div>
      {isPending ? (
        <p className="text-sm text-slate-400" role="status">
          Loading audience figures…
        </p>
      ) : !data ? (
        <p className="text-sm text-rose-300" role="alert">
          Could not load the audience figures: {errorMessage(error)}
        </p>
      ) : (
        <>
          <div className="grid grid-cols-2 gap-4 md:grid-cols-3 xl:grid-cols-6">
            <KpiCard
              label="Watch time"
              value={watchTime(data.watch_time_seconds)}
              icon={<Clock className="h-4 w-4" />}
              hint={<ChangeBadge current={data.watch_time_seconds} previous={p?.watch_time_seconds} />}
            />
            <KpiCard
              label="Unique viewers"
              value={formatCount(data.unique_viewers)}
              icon={<Users className="h-4 w-4" />}
              hint={<ChangeBadge current={data.unique_viewers} previous={p?.unique_viewers} />}
            />
            <KpiCard
              label="Plays"
              value={formatCount(data.plays)}
              icon={<PlayCircle className="h-4 w-4" />}
              hint={<ChangeBadge current={data.plays} previous={p?.plays} />}
            />
            <KpiCard
              label="Qualified views"
              value={formatCount(data.views)}
              icon={<Eye className="h-4 w-4" />}
              hint={<ChangeBadge current={data.views} previous={p?.views} />}
            />
            <KpiCard
              label="Startup time (p50)"
              value={ms(data.startup_time_ms_p50)}
              icon={<Zap className="h-4 w-4" />}
              hint={`p95 ${ms(data.startup_time_ms_p95)}`}
            />
            <KpiCard
              label="Rebuffering"
              value={formatPercent(data.rebuffer_percentage, 2)}
              icon={<Gauge className="h-4 w-4" />}
              hint={<ChangeBadge current={data.rebuffer_percentage} previous={p?.rebuffer_percentage} lowerIsBetter />}
            />
          </div>
          <section className="card mt-4 overflow-x-auto" aria-labelledby="top-watch-title" role="region">
            <h3 id="top-watch-title" className="px-5 pt-5 text-sm font-semibold text-white">
              Top videos by watch time
            </h3>
            {data.top_videos.length === 0 ? (
              <p className="px-5 pb-5 pt-2 text-sm text-slate-500">Nobody watched anything in this period.</p>
            ) : (
              <table className="mt-3 min-w-full divide-y divide-slate-800">
                <thead>
                  <tr>
                    <th scope="col" className="th pl-5">
                      #
                    </th>
                    <th scope="col" className="th">
                      Title
                    </th>
                    <th scope="col" className="th text-right">
                      Views
                    </th>
                    <th scope="col" className="th text-right">
                      Watch time
                    </th>
                    <th scope="col" className="th pr-5 text-right">
                      <span className="sr-only">Analytics</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-800/70">
                  {data.top_videos.map((v, i) => (
                    <tr key={v.video_id} className="hover:bg-slate-800/40">
                      <td className="td pl-5 text-slate-500 tabular-nums">{i + 1}</td>
                      <td className="td max-w-xs">
                        <Link
                          to={`/watch/${v.video_id}`}
                          className="block truncate font-medium text-white hover:text-brand-300"
                        >
                          {v.title ?? v.video_id}
                        </Link>
                      </td>
                      <td className="td text-right tabular-nums">{formatCount(v.views)}</td>
                      <td className="td text-right tabular-nums">{watchTime(v.watch_time_seconds)}</td>
                      <td className="td pr-5 text-right">
                        <Link to={`/videos/${v.video_id}/analytics`} className="text-sm text-brand-300 hover:underline">
                          Details
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </section>
  );
}
