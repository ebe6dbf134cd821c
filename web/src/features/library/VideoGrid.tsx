import { Link } from 'react-router-dom';
import type { ReactNode } from 'react';
import { motion } from 'framer-motion';
import { Eye, Heart, Trash2 } from 'lucide-react';
import { videoAccess } from '@/api/authTypes';
import type { Video } from '@/api/types';
import { StatusBadge, Thumbnail, VisibilityBadge } from '@/components';
import { FlagBadges } from '@/components/content/FlagBadges';
import { analysisSummaryOf } from '@/lib/content/api';
import { formatCount, formatRelative } from '@/lib/format';

export interface VideoActions {
  /** Whether the caller may delete this video (the server checks again). */
  canDelete: (video: Video) => boolean;
  onDelete: (video: Video) => void;
}

/** The video's visibility badge; nothing (or `fallback`) when the server did not say. */
export function VisibilityOf({ video, fallback = null }: { video: Video; fallback?: ReactNode }) {
  const { visibility } = videoAccess(video);
  return visibility ? <VisibilityBadge visibility={visibility} /> : <>{fallback}</>;
}

export function VideoGrid({ videos, canDelete, onDelete }: { videos: Video[] } & VideoActions) {
  return (
    <ul className="grid grid-cols-1 gap-5 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4" aria-label="Videos">
      {videos.map((v, i) => (
        <motion.li
          key={v.video_id}
          className="group/card relative"
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
                <VisibilityOf video={v} />
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
                <span className="ml-auto">{formatRelative(v.uploaded_at)}</span>
              </div>
              {v.status === 'FAILED' && v.error && <p className="mt-1 line-clamp-2 text-xs text-rose-300">{v.error}</p>}
              <FlagBadges codes={analysisSummaryOf(v)?.flags} className="mt-1.5" />
            </div>
          </Link>
          {canDelete(v) && (
            <button
              type="button"
              className="absolute right-3 top-3 rounded-md bg-black/70 p-1.5 text-slate-200 transition-opacity hover:text-rose-300 focus-visible:opacity-100 sm:opacity-0 sm:group-hover/card:opacity-100"
              aria-label={`Delete ${v.title}`}
              title="Delete"
              onClick={() => onDelete(v)}
            >
              <Trash2 aria-hidden className="h-4 w-4" />
            </button>
          )}
        </motion.li>
      ))}
    </ul>
  );
}
