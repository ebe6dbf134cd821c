import { choosePlaybackSource, qualityLevels } from './playback';

describe('choosePlaybackSource', () => {
  const both = { hls_url: '/media/h.m3u8', video_url: '/media/v.mp4' };
  it('prefers HLS when hls.js is supported, keeping the MP4 as fallback', () => {
    expect(choosePlaybackSource(both, true)).toEqual({ kind: 'hls', url: '/media/h.m3u8', fallback: '/media/v.mp4' });
  });
  it('uses the MP4 when hls.js is not supported', () => {
    expect(choosePlaybackSource(both, false)).toEqual({ kind: 'mp4', url: '/media/v.mp4' });
  });
  it('uses the MP4 when there is no playlist, and nothing when neither exists', () => {
    expect(choosePlaybackSource({ hls_url: null, video_url: '/v.mp4' }, true)).toEqual({ kind: 'mp4', url: '/v.mp4' });
    expect(choosePlaybackSource({ hls_url: null, video_url: null }, true)).toEqual({ kind: 'none' });
  });
});

describe('qualityLevels', () => {
  it('labels by height, tallest first', () => {
    expect(qualityLevels([{ height: 360 }, { height: 720 }, { height: 480 }])).toEqual([
      { index: 1, label: '720p' },
      { index: 2, label: '480p' },
      { index: 0, label: '360p' },
    ]);
  });
  it('adds the bitrate when heights repeat', () => {
    const out = qualityLevels([
      { height: 720, bitrate: 2_000_000 },
      { height: 720, bitrate: 3_000_000 },
    ]);
    expect(out.map((l) => l.label).sort()).toEqual(['720p (2000 kbps)', '720p (3000 kbps)']);
  });
});
