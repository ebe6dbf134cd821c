import { Link, useSearchParams } from 'react-router-dom';
import { Clock, Eye, Film, Gauge, HardDrive, Heart, RefreshCw } from 'lucide-react';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '@/api/errors';
import { statsQuery } from '@/api/queries';
import type { StatsScope } from '@/api/authTypes';
import { ErrorState, KpiCard, LoadingState, PageHeader, StatusBadge } from '@/components';
import { resolveStatsScope, statsScopes } from '@/lib/access';
import { cn } from '@/lib/cn';
import { useMe } from '@/lib/useMe';
import { formatBytes, formatCount, formatDateTime, formatDuration, formatPercent, formatSeconds } from '@/lib/format';
import { AudienceSection } from './AudienceSection';
import { ChartCard, DailyChart, DurationChart, FormatChart, StatusChart } from './Charts';
import { durationBars, formatBreakdown, mergeDaily, statusBreakdown } from './transform';

/** The dashboard refreshes itself this often. */
const REFRESH_MS = 15_000;

const SCOPE_LABELS: Record<StatsScope, { label: string; subtitle: string }> = {
  mine: { label: 'Mine', subtitle: 'Your videos' },
  public: { label: 'Public', subtitle: 'Public videos' },
  all: { label: 'All', subtitle: 'Every video on the site' },
};

export function AnalyticsPage() {
  const [params, setParams] = useSearchParams();
  const { me, loading: meLoading } = useMe();
  const scopes = statsScopes(me);
  const scope = resolveStatsScope(params.get('scope'), me);
  const {
    data: stats,
    error,
    isPending,
    refetch,
  } = useQuery({
    ...statsQuery(scope),
    enabled: !meLoading,
    refetchInterval: (q) => (q.state.data ? REFRESH_MS : false),
  });
  const setScope = (next: StatsScope) => {
    const p = new URLSearchParams(params);
    if (next === scopes[0]) p.delete('scope');
    else p.set('scope', next);
    setParams(p, { replace: true });
  };

  if (meLoading || isPending) return <LoadingState label="Loading analytics…" />;
  if (!stats) {
    return <ErrorState title="Could not load analytics" message={errorMessage(error)} onRetry={() => void refetch()} />;
  }

  const daily = mergeDaily(stats.uploads_per_day, stats.views_per_day, stats.likes_per_day, {
    until: stats.generated_at.slice(0, 10),
    minDays: 14,
  });
  const p = stats.processing_seconds;

  return (
    <div>
      <PageHeader
        title="Analytics"
        subtitle={`${SCOPE_LABELS[scope].subtitle} · updated ${formatDateTime(stats.generated_at)}`}
        actions={
          <>
            {scopes.length > 1 && (
              <div role="group" aria-label="Scope" className="flex rounded-lg border border-slate-700 p-0.5">
                {scopes.map((s) => (
                  <button
                    key={s}
                    type="button"
                    aria-pressed={s === scope}
                    className={cn(
                      'btn px-2.5 py-1.5',
                      s === scope ? 'bg-slate-700 text-white' : 'text-slate-400 hover:text-white',
                    )}
                    onClick={() => setScope(s)}
                  >
                    {SCOPE_LABELS[s].label}
                  </button>
                ))}
              </div>
            )}
            <button type="button" className="btn-secondary" onClick={() => void refetch()}>
              <RefreshCw aria-hidden className="h-4 w-4" /> Refresh
            </button>
          </>
        }
      />
      <div className="grid grid-cols-2 gap-4 md:grid-cols-3 xl:grid-cols-6">
        <KpiCard
          label="Videos"
          value={formatCount(stats.total_videos)}
          hint={`${formatDuration(stats.total_duration_seconds)} of footage`}
          icon={<Film className="h-4 w-4" />}
        />
        <KpiCard label="Total views" value={formatCount(stats.total_views)} icon={<Eye className="h-4 w-4" />} />
        <KpiCard label="Likes" value={formatCount(stats.total_likes)} icon={<Heart className="h-4 w-4" />} />
        <KpiCard
          label="Engagement rate"
          value={formatPercent(stats.engagement)}
          hint="likes ÷ views"
          icon={<Gauge className="h-4 w-4" />}
        />
        <KpiCard
          label="Storage used"
          value={formatBytes(stats.storage_bytes)}
          hint="originals + outputs"
          icon={<HardDrive className="h-4 w-4" />}
        />
        <KpiCard
          label="Median processing"
          value={formatSeconds(p?.p50)}
          hint={p?.p90 != null ? `p90 ${formatSeconds(p.p90)} · p99 ${formatSeconds(p.p99)}` : 'nothing processed yet'}
          icon={<Clock className="h-4 w-4" />}
        />
      </div>

      <div className="mt-6 grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-3">
          <ChartCard title="Uploads and views per day">
            <DailyChart data={daily} />
          </ChartCard>
        </div>
        <ChartCard title="Status breakdown" description="Videos by processing status">
          <StatusChart data={statusBreakdown(stats)} />
        </ChartCard>
        <ChartCard title="Format distribution" description="Originals by container extension">
          <FormatChart data={formatBreakdown(stats)} />
        </ChartCard>
        <ChartCard title="Duration" description="Videos by length">
          <DurationChart data={durationBars(stats.duration_histogram)} />
        </ChartCard>
      </div>

      <section className="card mt-6 overflow-x-auto" aria-labelledby="top-title" role="region">
        <h2 id="top-title" className="px-5 pt-5 text-sm font-semibold text-white">
          Top videos
        </h2>
        {stats.top_videos.length === 0 ? (
          <p className="px-5 pb-5 pt-2 text-sm text-slate-500">No videos yet.</p>
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
                <th scope="col" className="th">
                  Status
                </th>
                <th scope="col" className="th text-right">
                  Views
                </th>
                <th scope="col" className="th text-right">
                  Likes
                </th>
                <th scope="col" className="th pr-5 text-right">
                  Engagement
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-800/70">
              {stats.top_videos.map((v, i) => (
                <tr key={v.video_id} className="hover:bg-slate-800/40">
                  <td className="td pl-5 text-slate-500 tabular-nums">{i + 1}</td>
                  <td className="td max-w-xs">
                    <Link
                      to={`/watch/${v.video_id}`}
                      className="block truncate font-medium text-white hover:text-brand-300"
                    >
                      {v.title}
                    </Link>
                  </td>
                  <td className="td">
                    <StatusBadge status={v.status} progress={v.progress} />
                  </td>
                  <td className="td text-right tabular-nums">{formatCount(v.views)}</td>
                  <td className="td text-right tabular-nums">{formatCount(v.likes)}</td>
                  <td className="td pr-5 text-right tabular-nums">{formatPercent(v.engagement)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {me && <AudienceSection />}
    </div>
  );
}
