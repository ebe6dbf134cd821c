import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { api } from '@/api/client';
import { ApiError } from '@/api/errors';
import type { ContentAnalysis } from '@/lib/content/types';
import { renderWithQueryClient } from '@/test/render';
import { ContentPanel } from './ContentPanel';

const ID = 'v1';
const VTT_URL = '/media/processed/v1/storyboard/storyboard.vtt?expires=9999999999&signature=ab';
const vtt = ['WEBVTT', '']
  .concat(
    Array.from({ length: 30 }, (_, i) => [
      `00:00:${String(i).padStart(2, '0')}.000 --> 00:00:${String(i + 1).padStart(2, '0')}.000`,
      `/media/processed/v1/storyboard/sprite_000.jpg?signature=ab#xywh=${(i % 10) * 160},${Math.floor(i / 10) * 90},160,90`,
      '',
    ]).flat(),
  )
  .join('\n');

const doc: ContentAnalysis = {
  version: 1,
  complete: false,
  incomplete: ['complexity: siti failed'],
  duration_seconds: 30,
  scenes: [
    { time: 4, score: 61.2 },
    { time: 12, score: 40 },
  ],
  black: [{ start: 0, end: 2 }],
  freeze: [{ start: 12, end: 15.5 }],
  silence: [{ start: 20, end: 24 }],
  loudness: { integrated_lufs: -31, range_lu: 1.2, true_peak_dbtp: -20 },
  complexity: { si_mean: 40.1, si_max: 60, ti_mean: 5.2, ti_max: 30 },
  quality: [{ rung: '360p', copied: true, ssim: 1, psnr_db: null, frames: 0 }],
  waveform: { interval_seconds: 0.1, peak: Array(300).fill(0.5), rms: Array(300).fill(0.2) },
  storyboard: {
    vtt: 'storyboard/storyboard.vtt',
    vtt_url: VTT_URL,
    interval_seconds: 1,
    tile_width: 160,
    tile_height: 90,
    columns: 10,
    rows: 10,
    tiles: 30,
    sprites: ['storyboard/sprite_000.jpg'],
  },
  flags: ['starts with 2.0 s of black', 'too quiet: −31.0 LUFS (streaming platforms aim near −14 to −16)'],
  flag_details: [
    { code: 'black_start', severity: 'warning', start: 0, end: 2, message: 'starts with 2.0 s of black' },
    {
      code: 'too_quiet',
      severity: 'warning',
      start: null,
      end: null,
      message: 'too quiet: −31.0 LUFS (streaming platforms aim near −14 to −16)',
    },
  ],
};

describe('ContentPanel', () => {
  beforeEach(() => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response(vtt, { status: 200 })));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('shows flags, loudness, the scenes from the storyboard and the timeline', async () => {
    const get = vi.spyOn(api, 'get').mockResolvedValue({ data: doc });
    renderWithQueryClient(<ContentPanel videoId={ID} admin={false} />);
    const panel = await screen.findByRole('region', { name: 'Content analysis' });
    expect(get).toHaveBeenCalledWith('/api/analytics/videos/v1/content', expect.anything());

    expect(await within(panel).findByText('Analysis incomplete')).toBeInTheDocument();
    expect(within(panel).getByText('complexity: siti failed')).toBeInTheDocument();
    const flags = within(panel).getByRole('list', { name: 'Content flags' });
    expect(flags).toHaveTextContent('Starts with 2.0 s of black');
    expect(flags).toHaveTextContent('Too quiet: −31.0 LUFS');
    const loudness = within(panel).getByLabelText('Loudness');
    expect(loudness).toHaveTextContent('−31.0 LUFS');
    expect(loudness).toHaveTextContent('1.2 LU');
    expect(loudness).toHaveTextContent('−20.0 dBTP');

    // The scenes start at 0, 4 and 12 s: their storyboard tiles once the VTT is read.
    expect(await within(panel).findByRole('img', { name: 'Scene 2 at 0:04' })).toBeInTheDocument();
    expect(within(panel).getByRole('img', { name: 'Scene 3 at 0:12' })).toBeInTheDocument();
    expect(fetch).toHaveBeenCalledWith(VTT_URL, expect.anything());

    expect(within(panel).getByTestId('waveform')).toBeInTheDocument();
    expect(within(panel).getByRole('img', { name: 'Scene cut at 0:04' })).toHaveStyle({ left: '13.333%' });
    expect(within(panel).getByRole('img', { name: /^Black 0:00–0:02/ })).toHaveStyle({ width: '6.667%' });
    expect(within(panel).getByRole('img', { name: /^Frozen 0:12–0:15/ })).toBeInTheDocument();
    expect(within(panel).getByRole('img', { name: /^Silent 0:20–0:24/ })).toBeInTheDocument();
  });

  it('moves the player to a scene or a moment of the timeline', async () => {
    vi.spyOn(api, 'get').mockResolvedValue({ data: doc });
    const onSeek = vi.fn();
    renderWithQueryClient(<ContentPanel videoId={ID} admin={false} onSeek={onSeek} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Play from 0:12 (scene 3)' }));
    expect(onSeek).toHaveBeenLastCalledWith(12);
    const timeline = screen.getByTestId('content-timeline');
    timeline.getBoundingClientRect = () => ({ left: 0, top: 0, width: 380, height: 100 }) as DOMRect;
    fireEvent.mouseMove(timeline, { clientX: 80 + 150 }); // half of the 300 px tracks: 15 s of 30
    fireEvent.click(timeline);
    expect(onSeek).toHaveBeenLastCalledWith(15);
  });

  it('says when there is no analysis yet and lets an admin reprocess', async () => {
    vi.spyOn(api, 'get').mockRejectedValue(new ApiError('Not found.', { status: 404 }));
    const post = vi.spyOn(api, 'post').mockResolvedValue({ data: {} });
    renderWithQueryClient(<ContentPanel videoId={ID} admin />);
    expect(await screen.findByText(/No content analysis yet/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Reprocess' }));
    await waitFor(() => expect(post).toHaveBeenCalledWith('/api/admin/videos/v1/reprocess', null));
    expect(await screen.findByText(/Queued for processing again/)).toBeInTheDocument();
  });

  it('offers no reprocess to owners and moderators', async () => {
    vi.spyOn(api, 'get').mockRejectedValue(new ApiError('Not found.', { status: 404 }));
    renderWithQueryClient(<ContentPanel videoId={ID} admin={false} />);
    expect(await screen.findByText(/No content analysis yet/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reprocess' })).toBeNull();
  });

  it('asks nothing when the summary says there is no analysis', async () => {
    const get = vi.spyOn(api, 'get');
    renderWithQueryClient(<ContentPanel videoId={ID} analysed={false} admin />);
    expect(await screen.findByText(/No content analysis yet/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reprocess' })).toBeEnabled();
    expect(get).not.toHaveBeenCalled();
  });

  it('follows a reprocess through the video and says when it failed', async () => {
    const get = vi.spyOn(api, 'get').mockResolvedValue({ data: { video_id: ID, error: 'no video stream' } });
    vi.spyOn(api, 'post').mockResolvedValue({ data: { status: 'queued' } });
    renderWithQueryClient(<ContentPanel videoId={ID} analysed={false} admin />);
    fireEvent.click(await screen.findByRole('button', { name: 'Reprocess' }));
    expect(await screen.findByText('Processing it again failed: no video stream')).toBeInTheDocument();
    expect(get).toHaveBeenCalledWith('/api/analytics/video/v1', expect.anything());
  });
});
