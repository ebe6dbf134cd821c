import { cn } from '@/lib/cn';

export interface ProgressBarProps {
  /** 0–1 */
  value: number;
  label: string;
  tone?: 'brand' | 'amber' | 'emerald' | 'rose';
  className?: string;
}

const TONES = {
  brand: 'bg-brand-500',
  amber: 'bg-amber-400',
  emerald: 'bg-emerald-500',
  rose: 'bg-rose-500',
};

export function ProgressBar({ value, label, tone = 'brand', className }: ProgressBarProps) {
  const pct = Math.max(0, Math.min(100, Math.round(value * 100)));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      className={cn('h-2 w-full overflow-hidden rounded-full bg-slate-800', className)}
    >
      <div
        className={cn('h-full rounded-full transition-[width] duration-300', TONES[tone])}
        style={{ width: `${pct}%` }}
      />
    </div>
  );
}
