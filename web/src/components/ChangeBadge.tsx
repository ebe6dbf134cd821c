import { ArrowDownRight, ArrowUpRight, Minus } from 'lucide-react';
import { relativeChange } from '@/lib/dateRange';

/**
 * The change of a figure against the previous period ("▲ 12% vs previous period"), green when it
 * went the good way: up for most figures, down for the ones where less is better (startup time,
 * rebuffering).
 */
export function ChangeBadge({
  current,
  previous,
  lowerIsBetter = false,
}: {
  current: number | null | undefined;
  previous: number | null | undefined;
  lowerIsBetter?: boolean;
}) {
  const change = relativeChange(current, previous);
  if (change === null) {
    return <span className="text-slate-500">{previous == null ? 'no earlier data' : 'new this period'}</span>;
  }
  const pct = Math.abs(change * 100);
  const text = pct >= 10 ? pct.toFixed(0) : pct.toFixed(1);
  if (change === 0) {
    return (
      <span className="inline-flex items-center gap-1 text-slate-400">
        <Minus aria-hidden className="h-3 w-3" /> no change vs previous period
      </span>
    );
  }
  const good = change > 0 !== lowerIsBetter;
  const Icon = change > 0 ? ArrowUpRight : ArrowDownRight;
  return (
    <span className={`inline-flex items-center gap-1 ${good ? 'text-emerald-400' : 'text-rose-400'}`}>
      <Icon aria-hidden className="h-3 w-3" />
      {change > 0 ? '+' : '−'}
      {text}% vs previous period
    </span>
  );
}
