import {
  coveredSeconds,
  levelHeight,
  pointerToTime,
  sceneStarts,
  segmentBox,
  timeToFraction,
  waveformBars,
} from './timeline';

describe('timeline mapping', () => {
  it('maps times to fractions and pointer positions to times, clamped', () => {
    expect(timeToFraction(15, 30)).toBe(0.5);
    expect(timeToFraction(-3, 30)).toBe(0);
    expect(timeToFraction(45, 30)).toBe(1);
    expect(timeToFraction(5, 0)).toBe(0);
    expect(pointerToTime(50, 200, 20)).toBe(5);
    expect(pointerToTime(-10, 200, 20)).toBe(0);
    expect(pointerToTime(300, 200, 20)).toBe(20);
    expect(pointerToTime(50, 0, 20)).toBe(0);
  });

  it('places segments as boxes, cut at the ends of the timeline', () => {
    expect(segmentBox({ start: 0, end: 2 }, 20)).toEqual({ left: 0, width: 0.1 });
    expect(segmentBox({ start: 18, end: 25 }, 20)).toEqual({ left: 0.9, width: 0.09999999999999998 });
    expect(segmentBox({ start: 20, end: 25 }, 20)).toBeNull();
    expect(segmentBox({ start: 5, end: 4 }, 20)).toBeNull();
    expect(segmentBox({ start: 1, end: 2 }, 0)).toBeNull();
  });

  it('adds up covered seconds once where segments overlap', () => {
    expect(coveredSeconds([])).toBe(0);
    expect(
      coveredSeconds([
        { start: 0, end: 2 },
        { start: 1, end: 3 },
        { start: 10, end: 11 },
        { start: 10.5, end: 10.7 },
      ]),
    ).toBe(4);
  });
});

describe('waveformBars', () => {
  const wf = { interval_seconds: 0.1, peak: [0.2, 0.9, 0.1, 0.4], rms: [0.1, 0.3, 0.05, 0.2] };

  it('takes the highest peak and the RMS of the samples in each bar', () => {
    const bars = waveformBars(wf, 0.4, 2);
    expect(bars.map((b) => b.time)).toEqual([0, 0.2]);
    expect(bars[0].peak).toBe(0.9);
    expect(bars[0].rms).toBeCloseTo(Math.sqrt((0.01 + 0.09) / 2));
    expect(bars[1].peak).toBe(0.4);
    expect(bars[1].rms).toBeCloseTo(Math.sqrt((0.0025 + 0.04) / 2));
  });

  it('leaves bars past the last sample silent and ignores samples past the duration', () => {
    const bars = waveformBars(wf, 0.8, 4);
    expect(bars.map((b) => b.peak)).toEqual([0.9, 0.4, 0, 0]);
    expect(waveformBars(wf, 0.2, 1)[0].peak).toBe(0.9);
  });

  it('spreads few samples over many bars and clamps bad values', () => {
    const bars = waveformBars({ interval_seconds: 1, peak: [2, Number.NaN], rms: [-1, 0.5] }, 2, 4);
    expect(bars.map((b) => b.peak)).toEqual([1, 1, 0, 0]);
    expect(bars.map((b) => b.rms)).toEqual([0, 0, 0.5, 0.5]);
  });

  it('draws nothing without bars, duration or interval', () => {
    expect(waveformBars(wf, 1, 0)).toEqual([]);
    expect(waveformBars({ ...wf, interval_seconds: 0 }, 1, 10)).toEqual([]);
    expect(waveformBars({ interval_seconds: 0.1, peak: [], rms: [] }, 0, 10)).toEqual([]);
    // Without a duration the samples' own length is the timeline.
    expect(waveformBars(wf, 0, 2)).toHaveLength(2);
  });
});

describe('sceneStarts', () => {
  it('starts at 0 and keeps the strongest cuts, in time order', () => {
    const scenes = [
      { time: 4, score: 60 },
      { time: 9, score: 20 },
      { time: 2, score: 90 },
      { time: 30, score: 99 },
      { time: 0, score: 50 },
    ];
    expect(sceneStarts(scenes, 20)).toEqual([0, 2, 4, 9]);
    expect(sceneStarts(scenes, 20, 3)).toEqual([0, 2, 4]);
    expect(sceneStarts([], 20)).toEqual([0]);
  });
});

describe('levelHeight', () => {
  it('draws levels on a decibel scale from −60 dBFS to full scale', () => {
    expect(levelHeight(1)).toBe(1);
    expect(levelHeight(0.1)).toBeCloseTo(2 / 3); // −20 dBFS
    expect(levelHeight(0.01)).toBeCloseTo(1 / 3); // −40 dBFS
    expect(levelHeight(0.0005)).toBe(0); // under the floor
    expect(levelHeight(0)).toBe(0);
    expect(levelHeight(Number.NaN)).toBe(0);
    expect(levelHeight(3)).toBe(1);
  });
});
