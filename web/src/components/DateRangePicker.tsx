import { useState } from 'react';
import { cn } from '@/lib/cn';
import { MAX_RANGE_DAYS, RANGE_PRESETS, type RangeChoice } from '@/lib/dateRange';

const LABELS = { '7d': '7 days', '28d': '28 days', '90d': '90 days' } as const;

/** The analytics pages' range: the last 7, 28 or 90 days, or chosen days (UTC). */
export function DateRangePicker({ value, onChange }: { value: RangeChoice; onChange: (next: RangeChoice) => void }) {
  const [custom, setCustom] = useState(value.preset === 'custom');
  const today = new Date().toISOString().slice(0, 10);
  const [from, setFrom] = useState(value.preset === 'custom' ? value.from : today);
  const [to, setTo] = useState(value.preset === 'custom' ? value.to : today);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  const invalid = !from || !to || from > to || days > MAX_RANGE_DAYS;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <div role="group" aria-label="Date range" className="flex rounded-lg border border-slate-700 p-0.5">
        {RANGE_PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={!custom && value.preset === p}
            className={cn(
              'btn px-2.5 py-1.5',
              !custom && value.preset === p ? 'bg-slate-700 text-white' : 'text-slate-400 hover:text-white',
            )}
            onClick={() => {
              setCustom(false);
              onChange({ preset: p });
            }}
          >
            {LABELS[p]}
          </button>
        ))}
        <button
          type="button"
          aria-pressed={custom}
          className={cn('btn px-2.5 py-1.5', custom ? 'bg-slate-700 text-white' : 'text-slate-400 hover:text-white')}
          onClick={() => setCustom(true)}
        >
          Custom
        </button>
      </div>
      {custom && (
        <form
          aria-label="Custom range"
          className="flex flex-wrap items-center gap-2 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            if (!invalid) onChange({ preset: 'custom', from, to });
          }}
        >
          <label className="flex items-center gap-1 text-slate-400">
            From
            <input
              type="date"
              className="input w-auto py-1"
              value={from}
              max={today}
              onChange={(e) => setFrom(e.target.value)}
            />
          </label>
          <label className="flex items-center gap-1 text-slate-400">
            To
            <input
              type="date"
              className="input w-auto py-1"
              value={to}
              max={today}
              onChange={(e) => setTo(e.target.value)}
            />
          </label>
          <button type="submit" className="btn-secondary py-1" disabled={invalid}>
            Apply
          </button>
          {invalid && from && to && (
            <span className="text-xs text-rose-300">
              {from > to ? 'The start is after the end.' : `At most ${MAX_RANGE_DAYS} days.`}
            </span>
          )}
        </form>
      )}
    </div>
  );
}
