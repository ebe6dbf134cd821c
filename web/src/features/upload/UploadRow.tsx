import { Link } from 'react-router-dom';
import { motion } from 'framer-motion';
import { AlertTriangle, CheckCircle2, FileVideo, Loader2, Pause, Play, PlayCircle, RotateCcw, X } from 'lucide-react';
import { ProgressBar, VisibilityBadge } from '@/components';
import { formatBytes, formatEta, formatRate } from '@/lib/format';
import { SENDING_PHASES, type UploadItem } from './queue';

export interface UploadRowActions {
  onCancel: () => void;
  onRemove: () => void;
  onPause: () => void;
  onResume: () => void;
  onContinue: () => void;
  onStartOver: () => void;
}

function ResumeOffer({ item, onContinue, onStartOver }: { item: UploadItem } & UploadRowActions) {
  const previous = item.previous;
  if (!previous) return null;
  return (
    <div className="flex flex-wrap items-center gap-2 rounded-lg border border-brand-500/30 bg-brand-500/10 px-3 py-2 text-xs text-slate-200">
      <span className="mr-auto">
        This file was partly uploaded ({formatBytes(previous.offset)} of {formatBytes(previous.size)})
      </span>
      <button type="button" className="btn-primary px-2.5 py-1 text-xs" onClick={onContinue}>
        <Play aria-hidden className="h-3.5 w-3.5" /> Continue
      </button>
      <button type="button" className="btn-ghost px-2.5 py-1 text-xs" onClick={onStartOver}>
        <RotateCcw aria-hidden className="h-3.5 w-3.5" /> Start over
      </button>
    </div>
  );
}

function Transferring({ item }: { item: UploadItem }) {
  const pct = item.size ? item.loaded / item.size : 0;
  const paused = item.phase === 'paused';
  return (
    <div>
      <ProgressBar
        value={pct}
        tone={paused ? 'amber' : 'brand'}
        label={`${paused ? 'Paused' : 'Uploading'} ${item.name}`}
      />
      <p className="mt-1 flex flex-wrap gap-x-3 text-xs tabular-nums text-slate-400">
        <span>{Math.round(pct * 100)}%</span>
        <span>
          {formatBytes(item.loaded)} of {formatBytes(item.size)}
        </span>
        {paused ? (
          <span className="text-amber-300">Paused</span>
        ) : (
          <>
            <span>{formatRate(item.speed)}</span>
            <span>{item.eta != null ? `${formatEta(item.eta)} left` : 'estimating…'}</span>
          </>
        )}
        {item.resumedAt != null && item.resumedAt > 0 && (
          <span className="text-emerald-300" title="Bytes the server already had were not sent again">
            resumed at {formatBytes(item.resumedAt)}
          </span>
        )}
      </p>
    </div>
  );
}

function Status({ item, ...actions }: { item: UploadItem } & UploadRowActions) {
  switch (item.phase) {
    case 'invalid':
      return <p className="text-xs text-rose-300">{item.error}</p>;
    case 'checking':
      return <p className="text-xs text-slate-400">Checking for an earlier upload of this file…</p>;
    case 'resumable':
      return <ResumeOffer item={item} {...actions} />;
    case 'queued':
      return <p className="text-xs text-slate-400">Waiting to upload…</p>;
    case 'uploading':
    case 'paused':
      return <Transferring item={item} />;
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

export function UploadRow({ item, ...actions }: { item: UploadItem } & UploadRowActions) {
  const { onCancel, onRemove, onPause, onResume } = actions;
  // A row offering to continue is not sending anything: its X only removes it (the server's
  // part stays until it expires, so choosing the file again still offers it).
  const active = SENDING_PHASES.includes(item.phase) && item.phase !== 'resumable';
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
          <Status item={item} {...actions} />
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
        {item.phase === 'uploading' && (
          <button
            type="button"
            className="btn-ghost px-2 py-1.5 text-xs"
            onClick={onPause}
            aria-label={`Pause upload of ${item.name}`}
          >
            <Pause aria-hidden className="h-4 w-4" /> Pause
          </button>
        )}
        {item.phase === 'paused' && (
          <button
            type="button"
            className="btn-ghost px-2 py-1.5 text-xs"
            onClick={onResume}
            aria-label={`Resume upload of ${item.name}`}
          >
            <Play aria-hidden className="h-4 w-4" /> Resume
          </button>
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
