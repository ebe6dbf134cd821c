import { act, fireEvent, screen } from '@testing-library/react';
import type { Video } from '@/api/types';
import { renderWithQueryClient as render } from '@/test/render';
import { VideoPlayer } from './VideoPlayer';

// jsdom has no MediaSource, so hls.js is unsupported and the player plays the MP4: the refresh
// logic is the same for both sources.
const signed = (name: string, expires: number) => `/media/processed/x/${name}?expires=${expires}&signature=ab`;
const base = {
  video_id: '0b6a1f52-8c1e-4d7a-9a53-2f4f0c8f9e21',
  title: 'A long film',
  hls_url: null,
  poster_url: null,
  thumbnail_url: null,
} as unknown as Video;

function player() {
  return screen.getByLabelText('Video player: A long film') as HTMLVideoElement;
}

describe('VideoPlayer signed URL refresh', () => {
  afterEach(() => vi.useRealTimers());

  it('fetches fresh URLs before the old ones expire and keeps the position', async () => {
    vi.useFakeTimers();
    const now = Date.now();
    const first = { ...base, video_url: signed('video.mp4', Math.floor(now / 1000) + 600) };
    const fresh = { ...base, video_url: signed('video.mp4', Math.floor(now / 1000) + 1200) };
    const refresh = vi.fn().mockResolvedValue(fresh);
    render(<VideoPlayer video={first} refresh={refresh} />);
    expect(player().getAttribute('src')).toBe(first.video_url);
    player().currentTime = 42;

    await act(async () => {
      await vi.advanceTimersByTimeAsync(540_000 - 2_000); // a minute before expiry, less a margin
    });
    expect(refresh).not.toHaveBeenCalled();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3_000);
    });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(player().getAttribute('src')).toBe(fresh.video_url);
    fireEvent.loadedMetadata(player());
    expect(player().currentTime).toBe(42);
  });

  it('asks for fresh URLs when the file fails, and says so when none come (revoked)', async () => {
    const expired = { ...base, video_url: signed('video.mp4', 1) };
    const refresh = vi.fn().mockResolvedValue(null);
    render(<VideoPlayer video={expired} refresh={refresh} />);
    await act(async () => {
      fireEvent.error(player());
      await Promise.resolve();
    });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(await screen.findByRole('status')).toHaveTextContent(/could not be loaded/);
    expect(player().getAttribute('src')).toBe(expired.video_url);
  });
});

describe('VideoPlayer storyboard previews', () => {
  const vtt = [
    'WEBVTT',
    '',
    '00:00:00.000 --> 00:00:05.000',
    '/media/processed/x/storyboard/sprite_000.jpg?expires=9999999999&signature=ab#xywh=0,0,160,90',
    '',
    '00:00:05.000 --> 00:00:10.000',
    '/media/processed/x/storyboard/sprite_000.jpg?expires=9999999999&signature=ab#xywh=160,0,160,90',
    '',
  ].join('\n');
  const video = { ...base, video_url: '/media/processed/x/video.mp4', duration_seconds: 10 } as Video;

  afterEach(() => vi.unstubAllGlobals());

  it('shows no strip without a storyboard', () => {
    render(<VideoPlayer video={video} />);
    expect(screen.queryByTestId('preview-timeline')).toBeNull();
  });

  it('shows the tile under the pointer and seeks on a click', async () => {
    const fetchMock = vi.fn().mockResolvedValue(new Response(vtt, { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    render(<VideoPlayer video={video} storyboardUrl="/media/processed/x/storyboard/storyboard.vtt?sig=1" />);
    const slider = await screen.findByRole('slider', { name: /seek/i });
    expect(fetchMock).toHaveBeenCalledWith('/media/processed/x/storyboard/storyboard.vtt?sig=1', expect.anything());
    slider.getBoundingClientRect = () => ({ left: 0, top: 0, width: 200, height: 6, right: 200, bottom: 6 }) as DOMRect;

    fireEvent.mouseMove(slider, { clientX: 150 }); // 7.5 s of 10
    const preview = screen.getByTestId('storyboard-preview');
    expect(preview).toHaveTextContent('0:07');
    const tile = screen.getByRole('img', { name: 'Preview at 0:07' });
    const sprite = tile.firstElementChild as HTMLElement;
    expect(sprite.style.backgroundPosition).toBe('-160px 0px');
    expect(sprite.style.backgroundImage).toContain('sprite_000.jpg');

    fireEvent.click(slider, { clientX: 50 });
    expect(player().currentTime).toBeCloseTo(2.5);
    fireEvent.mouseLeave(slider);
    expect(screen.queryByTestId('storyboard-preview')).toBeNull();
  });
});
