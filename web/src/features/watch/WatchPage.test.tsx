import { fireEvent, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { ApiError } from '@/api/errors';
import { queryKeys } from '@/api/queries';
import type { Stats, Video } from '@/api/types';
import { getVideo } from '@/api/getVideo';
import { recordLike } from '@/api/recordLike';
import { recordView } from '@/api/recordView';
import { WatchPage } from './WatchPage';
import { createTestQueryClient, renderWithQueryClient } from '@/test/render';

vi.mock('@/api/getVideo', () => ({ getVideo: vi.fn() }));
vi.mock('@/api/recordView', () => ({ recordView: vi.fn() }));
vi.mock('@/api/recordLike', () => ({ recordLike: vi.fn() }));
vi.mock('@/api/deleteVideo', () => ({ deleteVideo: vi.fn() }));

const ID = '0b6a1f52-8c1e-4d7a-9a53-2f4f0c8f9e21';
const video = {
  video_id: ID,
  title: 'Test pattern',
  description: '',
  status: 'PROCESSED',
  progress: 1,
  error: null,
  views: 4,
  likes: 1,
  engagement: 0.25,
  duration_seconds: 4,
  width: 640,
  height: 360,
  fps: 25,
  video_codec: 'h264',
  audio_codec: 'aac',
  bitrate: 819168,
  size: 409584,
  original_filename: 'pattern.mp4',
  file_extension: 'mp4',
  timestamp: '2025-01-31T10:00:00Z',
  processed_timestamp: '2025-01-31T10:00:01Z',
  processing_seconds: 0.715,
  hls_url: '/media/processed/x/hls/master.m3u8?expires=1&signature=ab',
  video_url: '/media/processed/x/video.mp4?expires=1&signature=ab',
  poster_url: '/media/processed/x/poster.jpg?expires=1&signature=ab',
  thumbnail_url: null,
  renditions: [
    {
      name: '360p',
      width: 640,
      height: 360,
      bandwidth: 1020800,
      codecs: 'avc1.64001e,mp4a.40.2',
      copy: true,
      segments: 1,
      duration_seconds: 4,
    },
  ],
  probe: { container: 'mov,mp4,m4a,3gp,3g2,mj2', pixel_format: 'yuv420p', bit_depth: 8 },
} as unknown as Video;

describe('WatchPage', () => {
  it('plays the MP4 when hls.js cannot run, counts one view per playback, and likes', async () => {
    vi.mocked(getVideo).mockResolvedValue(video);
    vi.mocked(recordView).mockResolvedValue({ video_id: ID, views: 5 });
    vi.mocked(recordLike).mockResolvedValue({ video_id: ID, likes: 2 });
    renderWithQueryClient(
      <MemoryRouter initialEntries={[`/watch/${ID}`]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Routes>
          <Route path="/watch/:id" element={<WatchPage />} />
        </Routes>
      </MemoryRouter>,
    );

    expect(await screen.findByRole('heading', { name: 'Test pattern' })).toBeInTheDocument();
    const player = screen.getByLabelText('Video player: Test pattern') as HTMLVideoElement;
    // jsdom has no MediaSource, so Hls.isSupported() is false: the MP4 is the source.
    await waitFor(() => expect(player.getAttribute('src')).toBe(video.video_url));
    expect(player).toHaveAttribute('poster', video.poster_url!);
    expect(screen.getByText('Progressive MP4')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Details' })).toHaveTextContent('640×360');
    expect(screen.getByText('360p')).toBeInTheDocument();

    fireEvent.play(player);
    fireEvent.play(player);
    expect(recordView).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('5 views')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Like (1 likes)' }));
    expect(await screen.findByRole('button', { name: 'Like (2 likes)' })).toBeInTheDocument();
  });

  it('refreshes the library lists and totals after a like, without refetching the video', async () => {
    vi.mocked(getVideo).mockClear().mockResolvedValue(video);
    vi.mocked(recordLike).mockResolvedValue({ video_id: ID, likes: 2 });
    const { queryClient } = renderWithQueryClient(
      <MemoryRouter initialEntries={[`/watch/${ID}`]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Routes>
          <Route path="/watch/:id" element={<WatchPage />} />
        </Routes>
      </MemoryRouter>,
    );
    queryClient.setQueryData(queryKeys.stats, {} as Stats);
    queryClient.setQueryData(queryKeys.videoList({}, 24), { pages: [], pageParams: [] });
    fireEvent.click(await screen.findByRole('button', { name: 'Like (1 likes)' }));
    expect(await screen.findByRole('button', { name: 'Like (2 likes)' })).toBeInTheDocument();
    expect(queryClient.getQueryState(queryKeys.stats)?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(queryKeys.videoList({}, 24))?.isInvalidated).toBe(true);
    expect(queryClient.getQueryData<Video>(queryKeys.video(ID))?.likes).toBe(2);
    expect(getVideo).toHaveBeenCalledTimes(1);
  });

  it('says a video is gone once the server answers 404, even with a copy in the cache', async () => {
    vi.mocked(getVideo).mockRejectedValue(new ApiError('No video with that id.', { status: 404 }));
    const queryClient = createTestQueryClient();
    queryClient.setQueryData(queryKeys.video(ID), video);
    renderWithQueryClient(
      <MemoryRouter initialEntries={[`/watch/${ID}`]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Routes>
          <Route path="/watch/:id" element={<WatchPage />} />
        </Routes>
      </MemoryRouter>,
      queryClient,
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('No video with that id.');
  });

  it('shows the failure reason for a FAILED video', async () => {
    vi.mocked(getVideo).mockResolvedValue({
      ...video,
      status: 'FAILED',
      error: 'no video stream',
      hls_url: null,
      video_url: null,
    });
    renderWithQueryClient(
      <MemoryRouter initialEntries={[`/watch/${ID}`]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Routes>
          <Route path="/watch/:id" element={<WatchPage />} />
        </Routes>
      </MemoryRouter>,
    );
    expect(await screen.findByText('no video stream')).toBeInTheDocument();
    expect(screen.getByText('Processing failed')).toBeInTheDocument();
  });
});
