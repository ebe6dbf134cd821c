import { Link } from 'react-router-dom';
import { motion } from 'framer-motion';
import { Eye, Heart } from 'lucide-react';
import type { Video } from '@/api/types';
import { StatusBadge, Thumbnail } from '@/components';
import { formatCount, formatRelative } from '@/lib/format';

export function VideoGrid({ videos }: { videos: Video[] }) {
  return (
    <ul className="grid grid-cols-1 gap-5 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4" aria-label="Videos">
      {videos.map((v, i) => (
        <motion.li
          key={v.video_id}
          initial={{ opacity: 0, y: 8 }}
          animate={{ opacity: 1, y: 0 }}
          transition={{ duration: 0.2, delay: Math.min(i, 12) * 0.02 }}
        >
          <Link
            to={`/watch/${v.video_id}`}
            className="group block rounded-xl p-1.5 transition-colors hover:bg-slate-900"
            aria-label={`${v.title} — ${v.status.toLowerCase()}`}
          >
            <Thumbnail video={v} />
            <div className="mt-2.5 px-1">
              <div className="flex items-start justify-between gap-2">
                <h3 className="line-clamp-2 text-sm font-medium text-white group-hover:text-brand-300">{v.title}</h3>
                <StatusBadge status={v.status} progress={v.progress} className="shrink-0" />
              </div>
              <div className="mt-1 flex items-center gap-3 text-xs text-slate-400">
                <span className="inline-flex items-center gap-1">
                  <Eye aria-hidden className="h-3.5 w-3.5" />
                  {formatCount(v.views, true)}
                  <span className="sr-only">views</span>
                </span>
                <span className="inline-flex items-center gap-1">
                  <Heart aria-hidden className="h-3.5 w-3.5" />
                  {formatCount(v.likes, true)}
                  <span className="sr-only">likes</span>
                </span>
                <span className="ml-auto">{formatRelative(v.timestamp)}</span>
              </div>
              {v.status === 'FAILED' && v.error && <p className="mt-1 line-clamp-2 text-xs text-rose-300">{v.error}</p>}
            </div>
          </Link>
        </motion.li>
      ))}
    </ul>
  );
}
