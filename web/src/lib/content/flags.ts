// The content flags as people read them (docs/content-analysis.md, "Flags"): a short label for
// the library's badges and filter, and the detailed flags of the content document, whatever
// form the server sent them in.
import type { FlagCode, FlagDetail } from './types';

export type { FlagCode };

// A Record over the generated union: tsc refuses a code missing here or unknown to the API.
const LABELS: Record<FlagCode, string> = {
  too_quiet: 'Too quiet',
  too_loud: 'Too loud',
  clipping: 'Clipping',
  black_start: 'Black at start',
  black_end: 'Black at end',
  black: 'Black section',
  frozen: 'Frozen picture',
  silent: 'Mostly silent',
  no_audio: 'No audio',
  poor_rung: 'Poor encode',
};

/** Every flag code the contract defines, in the order the filter offers them. */
export const FLAG_CODES = Object.keys(LABELS) as FlagCode[];

/** Flags that only inform (the rest are warnings). */
const INFO: ReadonlySet<string> = new Set(['no_audio']);

export function isFlagCode(code: string): code is FlagCode {
  return Object.prototype.hasOwnProperty.call(LABELS, code);
}

/** "too_quiet" → "Too quiet"; an unknown code is spelled out ("new_flag" → "New flag"). */
export function flagLabel(code: string): string {
  if (isFlagCode(code)) return LABELS[code];
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : 'Unknown flag';
}

/** Whether a flag code is a warning (everything but the informative ones). */
export function isWarningFlag(code: string): boolean {
  return !INFO.has(code);
}

/**
 * The document's flags as details: `flag_details` when the API gave them, else `flags` read as
 * details (analysis.json) or as bare messages (code unknown, severity warning).
 */
export function flagDetails(doc: {
  flags?: ReadonlyArray<string | FlagDetail> | null;
  flag_details?: readonly FlagDetail[] | null;
}): FlagDetail[] {
  if (Array.isArray(doc.flag_details) && doc.flag_details.length > 0) return [...doc.flag_details];
  return (doc.flags ?? []).flatMap((f): FlagDetail[] => {
    if (typeof f === 'string') return f ? [{ code: '', severity: 'warning', message: f }] : [];
    if (f && typeof f === 'object' && typeof f.message === 'string') return [f];
    return [];
  });
}
