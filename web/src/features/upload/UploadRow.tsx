import { Link } from 'react-router-dom';
import { motion } from 'framer-motion';
import { AlertTriangle, CheckCircle2, FileVideo, Loader2, PlayCircle, X } from 'lucide-react';
import { ProgressBar, VisibilityBadge } from '@/components';
import { formatBytes, formatEta, formatRate } from '@/lib/format';
import type { UploadItem } from './queue';

function Status({ item }: { item: UploadItem }) {
  switch (item.phase) {
    case 'invalid':
      return <p className="text-xs text-rose-300">{item.error}</p>;
    case 'queued':
      return <p className="text-xs text-slate-400">Waiting to upload…</p>;
    case 'uploading': {
      const pct = item.size ? item.loaded / item.size : 0;
      return (
        <div>
          <ProgressBar value={pct} label={`Uploading ${item.name}`} />
          <p className="mt-1 flex flex-wrap gap-x-3 text-xs tabular-nums text-slate-400">
            <span>{Math.round(pct * 100)}%</span>
            <span>
              {formatBytes(item.loaded)} of {formatBytes(item.size)}
            </span>
            <span>{formatRate(item.speed)}</span>
            <span>{item.eta != null ? `${formatEta(item.eta)} left` : 'estimating…'}</span>
          </p>
        </div>
      );
    }
    case 'processing':
      return (
        <div>
          <ProgressBar value={item.processing} tone="amber" label={`Processing ${item.name}`} />
          <p className="mt-1 flex items-center gap-1.5 text-xs text-amber-300">
            <Loader2 aria-hidden className="h-3.5 w-3.5 animate-spin" />
            {item.videoStatus === 'PROCESSING'
              ? `Processing ${Math.round(item.processing * 100)}% — transcoding and making thumbnails`
              : 'Uploaded — waiting for a processor'}
          </p>
        </div>
      );
    case 'done':
      return (
        <p className="flex items-center gap-1.5 text-xs text-emerald-300">
          <CheckCircle2 aria-hidden className="h-3.5 w-3.5" /> Ready to watch
        </p>
      );
    case 'failed':
      return (
        <p className="flex items-start gap-1.5 text-xs text-rose-300">
          <AlertTriangle aria-hidden className="mt-0.5 h-3.5 w-3.5 shrink-0" />
          <span>{item.videoStatus === 'FAILED' ? `Processing failed: ${item.error}` : item.error}</span>
        </p>
      );
    case 'cancelled':
      return <p className="text-xs text-slate-500">Cancelled</p>;
  }
}

export function UploadRow({
  item,
  onCancel,
  onRemove,
}: {
  item: UploadItem;
  onCancel: () => void;
  onRemove: () => void;
}) {
  const active = item.phase === 'queued' || item.phase === 'uploading';
  return (
    <motion.li
      layout
      initial={{ opacity: 0, y: 6 }}
      animate={{ opacity: 1, y: 0 }}
      exit={{ opacity: 0 }}
      className="card flex items-start gap-4 p-4"
      aria-label={item.name}
    >
      <div className="rounded-lg bg-slate-800 p-2.5 text-slate-400" aria-hidden>
        <FileVideo className="h-5 w-5" />
      </div>
      <div className="min-w-0 flex-1">
        <div className="mb-2 flex items-baseline justify-between gap-3">
          <p className="truncate text-sm font-medium text-white" title={item.name}>
            {item.name}
          </p>
          <span className="flex shrink-0 items-center gap-2 text-xs tabular-nums text-slate-500">
            {item.visibility && item.phase !== 'invalid' && <VisibilityBadge visibility={item.visibility} />}
            {formatBytes(item.size)}
          </span>
        </div>
        <div aria-live="polite">
          <Status item={item} />
        </div>
      </div>
      <div className="flex shrink-0 items-center gap-1">
        {item.videoId && (item.phase === 'done' || item.phase === 'processing' || item.phase === 'failed') && (
          <Link
            to={`/watch/${item.videoId}`}
            className="btn-ghost px-2 py-1.5 text-xs"
            aria-label={`Open ${item.name}`}
          >
            <PlayCircle aria-hidden className="h-4 w-4" /> Open
          </Link>
        )}
        {active ? (
          <button
            type="button"
            className="btn-ghost px-2 py-1.5 text-xs"
            onClick={onCancel}
            aria-label={`Cancel upload of ${item.name}`}
          >
            <X aria-hidden className="h-4 w-4" /> Cancel
          </button>
        ) : (
          <button
            type="button"
            className="btn-ghost p-1.5"
            onClick={onRemove}
            aria-label={`Remove ${item.name} from the list`}
          >
            <X aria-hidden className="h-4 w-4" />
          </button>
        )}
      </div>
    </motion.li>
  );
}
