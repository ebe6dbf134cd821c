import { choosePlaybackSource, isExpiredUrlError, qualityLevels, refreshDelayMs, urlExpiryMs } from './playback';

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

describe('signed URL refresh', () => {
  const now = 1_700_000_000_000;
  const at = (s: number) => `/media/processed/v/hls/master.m3u8?expires=${s}&g=0&signature=ab`;

  it('reads the expiry of a signed URL', () => {
    expect(urlExpiryMs(at(1_700_003_600))).toBe(1_700_003_600_000);
    expect(urlExpiryMs('https://h/x?a=1&expires=12#t=3')).toBe(12_000);
    expect(urlExpiryMs('/media/x.mp4')).toBeNull();
    expect(urlExpiryMs('/media/x.mp4?expires=soon')).toBeNull();
    expect(urlExpiryMs(null)).toBeNull();
  });

  it('refreshes a minute before the earliest expiry', () => {
    expect(refreshDelayMs([at(1_700_003_600), at(1_700_007_200)], now)).toBe(3_600_000 - 60_000);
    expect(refreshDelayMs([null, '/media/x.mp4'], now)).toBeNull();
  });

  it('refreshes short-lived URLs before they end, never in a tight loop', () => {
    expect(refreshDelayMs([at(1_700_000_060)], now)).toBe(54_000); // 60 s life: 6 s early
    expect(refreshDelayMs([at(1_699_999_000)], now)).toBe(5_000); // already expired: soon, not now
  });

  it('treats a 403 network error as an expired URL, nothing else', () => {
    expect(isExpiredUrlError({ type: 'networkError', response: { code: 403 } })).toBe(true);
    expect(isExpiredUrlError({ type: 'networkError', response: { code: 404 } })).toBe(false);
    expect(isExpiredUrlError({ type: 'mediaError', response: { code: 403 } })).toBe(false);
    expect(isExpiredUrlError({ type: 'networkError' })).toBe(false);
  });
});
