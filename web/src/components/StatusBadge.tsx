import { AlertTriangle, CheckCircle2, Loader2, UploadCloud } from 'lucide-react';
import type { VideoStatus } from '@/api/types';
import { cn } from '@/lib/cn';

const STYLES: Record<VideoStatus, { label: string; className: string; Icon: typeof CheckCircle2 }> = {
  UPLOADED: { label: 'Queued', className: 'bg-sky-500/10 text-sky-300 ring-sky-500/30', Icon: UploadCloud },
  PROCESSING: { label: 'Processing', className: 'bg-amber-500/10 text-amber-300 ring-amber-500/30', Icon: Loader2 },
  PROCESSED: {
    label: 'Ready',
    className: 'bg-emerald-500/10 text-emerald-300 ring-emerald-500/30',
    Icon: CheckCircle2,
  },
  FAILED: { label: 'Failed', className: 'bg-rose-500/10 text-rose-300 ring-rose-500/30', Icon: AlertTriangle },
};

export interface StatusBadgeProps {
  status: VideoStatus;
  /** 0–1; shown as a percentage while processing. */
  progress?: number;
  className?: string;
}

export function StatusBadge({ status, progress, className }: StatusBadgeProps) {
  const { label, className: tone, Icon } = STYLES[status] ?? STYLES.UPLOADED;
  const pct = status === 'PROCESSING' && progress != null ? ` ${Math.round(progress * 100)}%` : '';
  return (
    <span
      className={cn(
        'inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset',
        tone,
        className,
      )}
      title={status}
    >
      <Icon aria-hidden className={cn('h-3.5 w-3.5', status === 'PROCESSING' && 'animate-spin')} />
      <span>
        {label}
        {pct}
      </span>
    </span>
  );
}
