// The date ranges the analytics pages offer (the last 7, 28 or 90 days, or chosen days), as the
// API's `from`/`to` (ISO date-times, UTC) and as URL search parameters. Pure functions.

export type RangePreset = '7d' | '28d' | '90d';
export const RANGE_PRESETS: readonly RangePreset[] = ['7d', '28d', '90d'];
const PRESET_DAYS: Record<RangePreset, number> = { '7d': 7, '28d': 28, '90d': 90 };
/** The server refuses longer ranges. */
export const MAX_RANGE_DAYS = 400;

export type RangeChoice = { preset: RangePreset } | { preset: 'custom'; from: string; to: string };

export interface ResolvedRange {
  from: string;
  to: string;
  days: number;
  label: string;
}

const DAY_MS = 86_400_000;
const isDay = (s: string | null): s is string =>
  s !== null && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The range in the URL (`range=7d`, or `from=YYYY-MM-DD&to=YYYY-MM-DD`), else the last 28 days. */
export function rangeFromParams(params: URLSearchParams): RangeChoice {
  const from = params.get('from');
  const to = params.get('to');
  if (isDay(from) && isDay(to) && from <= to) {
    const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
    if (days <= MAX_RANGE_DAYS) return { preset: 'custom', from, to };
  }
  const preset = params.get('range');
  return { preset: (RANGE_PRESETS as readonly string[]).includes(preset ?? '') ? (preset as RangePreset) : '28d' };
}

/** Writes a choice into search parameters (the default, 28 days, leaves the URL clean). */
export function rangeToParams(choice: RangeChoice, params: URLSearchParams): URLSearchParams {
  const p = new URLSearchParams(params);
  p.delete('range');
  p.delete('from');
  p.delete('to');
  if (choice.preset === 'custom') {
    p.set('from', choice.from);
    p.set('to', choice.to);
  } else if (choice.preset !== '28d') {
    p.set('range', choice.preset);
  }
  return p;
}

/**
 * The API's range for a choice at `now`: a preset ends now (to the minute) and starts that many
 * days before; chosen days run from the first day's midnight to the midnight after the last (UTC).
 */
export function resolveRange(choice: RangeChoice, now: number = Date.now()): ResolvedRange {
  if (choice.preset === 'custom') {
    const from = Date.parse(`${choice.from}T00:00:00Z`);
    const to = Date.parse(`${choice.to}T00:00:00Z`) + DAY_MS;
    return {
      from: iso(from),
      to: iso(to),
      days: Math.round((to - from) / DAY_MS),
      label: `${choice.from} – ${choice.to}`,
    };
  }
  const days = PRESET_DAYS[choice.preset];
  const to = Math.floor(now / 60_000) * 60_000;
  return { from: iso(to - days * DAY_MS), to: iso(to), days, label: `Last ${days} days` };
}

/** The change from `previous` to `current` as a fraction (0.25 = +25 %), or null when not defined. */
export function relativeChange(current: number | null | undefined, previous: number | null | undefined): number | null {
  if (current == null || previous == null || !Number.isFinite(current) || !Number.isFinite(previous)) return null;
  if (previous === 0) return current === 0 ? 0 : null;
  return (current - previous) / Math.abs(previous);
}
