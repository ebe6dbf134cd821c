import { AlertTriangle, Info } from 'lucide-react';
import { flagLabel, isWarningFlag } from '@/lib/content/flags';
import { cn } from '@/lib/cn';

/** The content flags of a video's catalog summary as small badges (docs/content-analysis.md). */
export function FlagBadges({ codes, className }: { codes: readonly string[] | null | undefined; className?: string }) {
  if (!codes?.length) return null;
  return (
    <ul className={cn('flex flex-wrap gap-1', className)} aria-label="Content flags">
      {[...new Set(codes)].map((code) => {
        const warning = isWarningFlag(code);
        const Icon = warning ? AlertTriangle : Info;
        return (
          <li
            key={code}
            className={cn(
              'inline-flex items-center gap-1 rounded-full px-1.5 py-0.5 text-[11px] font-medium ring-1 ring-inset',
              warning
                ? 'bg-amber-500/10 text-amber-300 ring-amber-500/30'
                : 'bg-slate-500/10 text-slate-300 ring-slate-500/30',
            )}
            title={code}
          >
            <Icon aria-hidden className="h-3 w-3" />
            {flagLabel(code)}
          </li>
        );
      })}
    </ul>
  );
}
