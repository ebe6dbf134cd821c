import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { ApiError } from '@/api/errors';
import { queryKeys } from '@/api/queries';
import type { Stats, Video } from '@/api/types';
import { getVideo } from '@/api/getVideo';
import type { Me } from '@/api/authTypes';
import { likeVideo } from '@/api/likeVideo';
import { unlikeVideo } from '@/api/unlikeVideo';
import { updateVideo } from '@/api/updateVideo';
import { WatchPage } from './WatchPage';
import { createTestQueryClient, renderWithQueryClient } from '@/test/render';
import { makeMe, seedMe } from '@/test/session';

vi.mock('@/api/getVideo', () => ({ getVideo: vi.fn() }));
vi.mock('@/api/likeVideo', () => ({ likeVideo: vi.fn() }));
vi.mock('@/api/unlikeVideo', () => ({ unlikeVideo: vi.fn() }));
vi.mock('@/api/updateVideo', () => ({ updateVideo: vi.fn() }));
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
  timestamp: 1738317600,
  upload_timestamp: 1738317600,
  uploaded_at: '2025-01-31T10:00:00Z',
  filename: 'pattern.mp4',
  runtime: 4,
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
  owner_id: 'id-alice',
  visibility: 'public',
  can_edit: false,
  liked: false,
} as unknown as Video;

function renderWatch(me: Me | null = makeMe({ username: 'bob' }), queryClient = createTestQueryClient()) {
  return renderWithQueryClient(
    <MemoryRouter initialEntries={[`/watch/${ID}`]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route path="/watch/:id" element={<WatchPage />} />
      </Routes>
    </MemoryRouter>,
    seedMe(queryClient, me),
  );
}

describe('WatchPage', () => {
  it('plays the MP4 when hls.js cannot run, sends the audience beacon (not the legacy /view), and likes', async () => {
    vi.mocked(getVideo).mockResolvedValue(video);
    const sendBeacon = vi.fn((_url: string, _body: Blob) => true);
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { sendBeacon }));
    vi.mocked(likeVideo).mockResolvedValue({ video_id: ID, likes: 2, liked: true });
    renderWatch();

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
    expect(sendBeacon).toHaveBeenCalledTimes(1);
    const [url, body] = sendBeacon.mock.calls[0];
    expect(url).toBe('/api/analytics/beacon');
    expect(body.type).toBe('text/plain');
    const text = await new Promise<string>((ok) => {
      const reader = new FileReader();
      reader.onload = () => ok(String(reader.result));
      reader.readAsText(body);
    });
    const batch = JSON.parse(text);
    expect(batch).toMatchObject({ v: 1, video_id: ID, surface: 'watch', embed_host: null, duration: 4 });
    expect(batch.view_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(batch.events).toEqual([{ seq: 0, type: 'viewstart', t: 0, playhead: 0 }]);
    expect(screen.getByText('4 views')).toBeInTheDocument();
    vi.unstubAllGlobals();

    const likeButton = screen.getByRole('button', { name: 'Like (1 likes)' });
    expect(likeButton).toHaveAttribute('aria-pressed', 'false');
    fireEvent.click(likeButton);
    expect(await screen.findByRole('button', { name: 'Like (2 likes)' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('takes a like back with a second press (DELETE), as the server answers', async () => {
    vi.mocked(getVideo).mockResolvedValue({ ...video, likes: 2, liked: true } as Video);
    vi.mocked(unlikeVideo).mockResolvedValue({ video_id: ID, likes: 1, liked: false });
    vi.mocked(likeVideo).mockClear();
    renderWatch();
    const liked = await screen.findByRole('button', { name: 'Like (2 likes)' });
    expect(liked).toHaveAttribute('aria-pressed', 'true');
    fireEvent.click(liked);
    expect(await screen.findByRole('button', { name: 'Like (1 likes)' })).toHaveAttribute('aria-pressed', 'false');
    expect(unlikeVideo).toHaveBeenCalledWith(ID);
    expect(likeVideo).not.toHaveBeenCalled();
  });

  it('asks an anonymous viewer to sign in to like, and offers no edit or delete', async () => {
    vi.mocked(getVideo).mockResolvedValue(video);
    renderWatch(null);
    const prompt = await screen.findByRole('link', { name: 'Sign in to like (1 likes)' });
    expect(prompt).toHaveAttribute('href', `/login?next=${encodeURIComponent(`/watch/${ID}`)}`);
    expect(screen.queryByRole('button', { name: /^Like/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    expect(screen.getByText('Public')).toBeInTheDocument();
  });

  it('shows Edit and Delete only when the server says the caller can edit', async () => {
    vi.mocked(getVideo).mockResolvedValue(video);
    const { unmount } = renderWatch(makeMe({ username: 'bob' }));
    await screen.findByRole('heading', { name: 'Test pattern' });
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    unmount();

    vi.mocked(getVideo).mockResolvedValue({ ...video, can_edit: true } as Video);
    renderWatch(makeMe({ username: 'alice' }));
    expect(await screen.findByRole('button', { name: 'Edit' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete' })).toBeInTheDocument();
  });

  it('shows the content panel to the owner only, without asking for an analysis the summary says is not there', async () => {
    const none = { status: 'none', flags: [], scene_count: 0, black_seconds: 0, frozen_seconds: 0, silent_seconds: 0 };
    vi.mocked(getVideo).mockResolvedValue({ ...video, analysis: none } as unknown as Video);
    const { unmount } = renderWatch(makeMe({ username: 'bob' }));
    expect(await screen.findByRole('heading', { name: 'Test pattern' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Content analysis' })).toBeNull();
    unmount();

    renderWatch(makeMe({ username: 'alice' }));
    const panel = await screen.findByRole('region', { name: 'Content analysis' });
    expect(panel).toHaveTextContent('No content analysis yet');
    expect(within(panel).queryByRole('button', { name: 'Reprocess' })).toBeNull(); // admins only
  });

  it('edits title, description and visibility, sending only what changed', async () => {
    const editable = { ...video, can_edit: true } as Video;
    vi.mocked(getVideo).mockResolvedValue(editable);
    vi.mocked(updateVideo).mockResolvedValue({ ...editable, title: 'Renamed', visibility: 'private' } as Video);
    renderWatch(makeMe({ username: 'alice' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit video' });
    fireEvent.change(within(form).getByLabelText('Title'), { target: { value: ' Renamed ' } });
    fireEvent.change(within(form).getByLabelText('Visibility'), { target: { value: 'private' } });
    vi.mocked(getVideo).mockResolvedValue({ ...editable, title: 'Renamed', visibility: 'private' } as Video);
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(updateVideo).toHaveBeenCalledWith(ID, { title: 'Renamed', visibility: 'private' }));
    expect(await screen.findByRole('heading', { name: 'Renamed' })).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Edit video' })).toBeNull();
    expect(screen.getByText('Private')).toBeInTheDocument();
  });

  it('refreshes the library lists and totals after a like, without refetching the video', async () => {
    vi.mocked(getVideo).mockClear().mockResolvedValue(video);
    vi.mocked(likeVideo).mockResolvedValue({ video_id: ID, likes: 2, liked: true });
    const { queryClient } = renderWatch();
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
    renderWatch(makeMe(), queryClient);
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
    renderWatch();
    expect(await screen.findByText('no video stream')).toBeInTheDocument();
    expect(screen.getByText('Processing failed')).toBeInTheDocument();
  });
});
