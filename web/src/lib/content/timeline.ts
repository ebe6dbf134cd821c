// One timeline for everything drawn over a video: the player's preview bar, the content panel's
// waveform, scene strip and segment markers, and the retention chart's scene cuts. Positions are
// fractions of the duration (0–1), so each drawing scales them to its own width.
import type { SceneCut, Segment, Waveform } from './types';

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Where `time` falls on a timeline of `duration`, 0–1 (0 when the duration is unknown). */
export function timeToFraction(time: number, duration: number): number {
  if (!(duration > 0) || !Number.isFinite(time)) return 0;
  return clamp01(time / duration);
}

/** The time at pixel `x` of a timeline `width` pixels wide, within 0..duration. */
export function pointerToTime(x: number, width: number, duration: number): number {
  if (!(width > 0) || !(duration > 0) || !Number.isFinite(x)) return 0;
  return clamp01(x / width) * duration;
}

/** A segment as a box on the timeline: its left edge and width, both fractions; null when outside it. */
export function segmentBox(segment: Segment, duration: number): { left: number; width: number } | null {
  if (!(duration > 0) || !(segment.end >= segment.start)) return null;
  if (segment.start >= duration || segment.end < 0) return null;
  const left = timeToFraction(segment.start, duration);
  const right = timeToFraction(segment.end, duration);
  return { left, width: Math.max(0, right - left) };
}

export interface WaveformBar {
  /** The bar's start time, seconds. */
  time: number;
  /** The loudest sample's peak in the bar, 0–1. */
  peak: number;
  /** The bar's RMS (the root of the mean of its samples' squared RMS), 0–1. */
  rms: number;
}

/**
 * The waveform resampled to `bars` bars over `duration` (the samples, one per `interval_seconds`,
 * may stop short of it or run past it): each bar takes the highest peak and the RMS of the
 * samples that start within it; a bar that no sample starts in shows the sample it falls in,
 * and past the last sample it is silent. Values are clamped to 0–1.
 */
export function waveformBars(waveform: Waveform, duration: number, bars: number): WaveformBar[] {
  const n = Math.max(0, Math.floor(bars));
  const step = waveform.interval_seconds;
  const count = Math.min(waveform.peak.length, waveform.rms.length);
  const total = duration > 0 ? duration : count * (step > 0 ? step : 0);
  if (n === 0 || !(total > 0) || !(step > 0)) return [];
  const out: WaveformBar[] = Array.from({ length: n }, (_, i) => ({ time: (i * total) / n, peak: 0, rms: 0 }));
  const squares = new Array<number>(n).fill(0);
  const samples = new Array<number>(n).fill(0);
  for (let j = 0; j < count; j++) {
    const t = j * step;
    if (t >= total) break;
    const b = Math.min(n - 1, Math.floor((t / total) * n));
    const peak = clamp01(Number(waveform.peak[j]) || 0);
    const rms = clamp01(Number(waveform.rms[j]) || 0);
    if (peak > out[b].peak) out[b].peak = peak;
    squares[b] += rms * rms;
    samples[b] += 1;
  }
  for (let b = 0; b < n; b++) {
    if (samples[b] > 0) {
      out[b].rms = Math.sqrt(squares[b] / samples[b]);
      continue;
    }
    // More bars than samples: a bar between two sample starts shows the sample it falls in.
    const j = Math.floor(out[b].time / step);
    if (j < count) {
      out[b].peak = clamp01(Number(waveform.peak[j]) || 0);
      out[b].rms = clamp01(Number(waveform.rms[j]) || 0);
    }
  }
  return out;
}

/** The floor of the waveform's drawing: quieter than this draws nothing. */
export const WAVEFORM_FLOOR_DB = -60;

/**
 * A linear level (0–1) as a bar height (0–1) on a decibel scale from WAVEFORM_FLOOR_DB to 0 dBFS,
 * so quiet speech is as readable as loud music (a linear drawing of −40 dBFS is a flat line).
 */
export function levelHeight(linear: number): number {
  if (!(linear > 0)) return 0;
  return clamp01((20 * Math.log10(linear) - WAVEFORM_FLOOR_DB) / -WAVEFORM_FLOOR_DB);
}

/**
 * The moments to show in the scene strip: the start, then each cut, at most `max` of them (the
 * cuts with the highest scores when there are more), in time order.
 */
export function sceneStarts(scenes: readonly SceneCut[], duration: number, max = 24): number[] {
  const cuts = scenes
    .filter((s) => Number.isFinite(s.time) && s.time > 0 && (!(duration > 0) || s.time < duration))
    .sort((a, b) => b.score - a.score)
    .slice(0, Math.max(0, max - 1))
    .map((s) => s.time)
    .sort((a, b) => a - b);
  return [0, ...cuts];
}

/** Total seconds covered by `segments` (overlaps counted once). */
export function coveredSeconds(segments: readonly Segment[]): number {
  const sorted = segments.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  let total = 0;
  let end = -Infinity;
  for (const s of sorted) {
    if (s.start > end) {
      total += s.end - s.start;
      end = s.end;
    } else if (s.end > end) {
      total += s.end - end;
      end = s.end;
    }
  }
  return total;
}
