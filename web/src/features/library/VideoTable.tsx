import { Link } from 'react-router-dom';
import type { Video } from '@/api/types';
import { StatusBadge } from '@/components';
import { formatBytes, formatCount, formatDateTime, formatDuration, formatPercent } from '@/lib/format';

export function VideoTable({ videos }: { videos: Video[] }) {
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
              Uploaded
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
              </td>
              <td className="td">
                <StatusBadge status={v.status} progress={v.progress} />
              </td>
              <td className="td text-right tabular-nums">{formatDuration(v.duration_seconds)}</td>
              <td className="td text-right tabular-nums">{formatBytes(v.size)}</td>
              <td className="td text-right tabular-nums">{formatCount(v.views)}</td>
              <td className="td text-right tabular-nums">{formatCount(v.likes)}</td>
              <td className="td text-right tabular-nums">{formatPercent(v.engagement)}</td>
              <td className="td whitespace-nowrap text-slate-400">{formatDateTime(v.timestamp)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
