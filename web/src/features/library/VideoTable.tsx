import { Link } from 'react-router-dom';
import { Trash2 } from 'lucide-react';
import type { Video } from '@/api/types';
import { StatusBadge } from '@/components';
import { FlagBadges } from '@/components/content/FlagBadges';
import { analysisSummaryOf } from '@/lib/content/api';
import { formatBytes, formatCount, formatDateTime, formatDuration, formatPercent } from '@/lib/format';
import { VisibilityOf, type VideoActions } from './VideoGrid';

export function VideoTable({ videos, canDelete, onDelete }: { videos: Video[] } & VideoActions) {
  return (
    <div className="card overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-800">
        <caption className="sr-only">Videos</caption>
        <thead>
          <tr>
            <th scope="col" className="th">
              Title
            </th>
            <th scope="col" className="th">
              Status
            </th>
            <th scope="col" className="th text-right">
              Duration
            </th>
            <th scope="col" className="th text-right">
              Size
            </th>
            <th scope="col" className="th text-right">
              Views
            </th>
            <th scope="col" className="th text-right">
              Likes
            </th>
            <th scope="col" className="th text-right">
              Engagement
            </th>
            <th scope="col" className="th">
              Visibility
            </th>
            <th scope="col" className="th">
              Uploaded
            </th>
            <th scope="col" className="th">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-800/70">
          {videos.map((v) => (
            <tr key={v.video_id} className="hover:bg-slate-800/40">
              <td className="td max-w-xs">
                <Link
                  to={`/watch/${v.video_id}`}
                  className="block truncate font-medium text-white hover:text-brand-300"
                >
                  {v.title}
                </Link>
                {v.status === 'FAILED' && v.error && <p className="truncate text-xs text-rose-300">{v.error}</p>}
                <FlagBadges codes={analysisSummaryOf(v)?.flags} className="mt-1" />
              </td>
              <td className="td">
                <StatusBadge status={v.status} progress={v.progress} />
              </td>
              <td className="td text-right tabular-nums">{formatDuration(v.duration_seconds)}</td>
              <td className="td text-right tabular-nums">{formatBytes(v.size)}</td>
              <td className="td text-right tabular-nums">{formatCount(v.views)}</td>
              <td className="td text-right tabular-nums">{formatCount(v.likes)}</td>
              <td className="td text-right tabular-nums">{formatPercent(v.engagement)}</td>
              <td className="td">
                <VisibilityOf video={v} fallback="—" />
              </td>
              <td className="td whitespace-nowrap text-slate-400">{formatDateTime(v.uploaded_at)}</td>
              <td className="td text-right">
                {canDelete(v) && (
                  <button
                    type="button"
                    className="btn-ghost p-1.5 text-slate-400 hover:text-rose-300"
                    aria-label={`Delete ${v.title}`}
                    title="Delete"
                    onClick={() => onDelete(v)}
                  >
                    <Trash2 aria-hidden className="h-4 w-4" />
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
