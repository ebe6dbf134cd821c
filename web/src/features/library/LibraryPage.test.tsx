import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { Me } from '@/api/authTypes';
import type { Video, VideoList } from '@/api/types';
import { listVideos } from '@/api/listVideos';
import { LibraryPage } from './LibraryPage';
import { createTestQueryClient, renderWithQueryClient } from '@/test/render';
import { makeMe, seedMe } from '@/test/session';

vi.mock('@/api/listVideos', () => ({ listVideos: vi.fn() }));
const mocked = vi.mocked(listVideos);

function video(patch: Partial<Video>): Video {
  return {
    video_id: '0b6a1f52-8c1e-4d7a-9a53-2f4f0c8f9e21',
    title: 'Sunset timelapse',
    status: 'PROCESSED',
    progress: 1,
    views: 12,
    likes: 3,
    engagement: 0.25,
    duration_seconds: 125,
    size: 1024,
    timestamp: Math.floor(Date.now() / 1000),
    uploaded_at: new Date().toISOString(),
    thumbnail_url: null,
    error: null,
    ...patch,
  } as Video;
}

function page(videos: Video[], next: string | null = null): VideoList {
  return { videos, count: videos.length, total: videos.length + (next ? 10 : 0), next_cursor: next };
}

const renderPage = (me: Me | null = makeMe()) =>
  renderWithQueryClient(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <LibraryPage />
    </MemoryRouter>,
    seedMe(createTestQueryClient(), me),
  );

describe('LibraryPage', () => {
  beforeEach(() => {
    // A block body: a function returned from beforeEach would run as teardown.
    mocked.mockReset();
  });

  it('shows a helpful empty state', async () => {
    mocked.mockResolvedValue(page([]));
    renderPage();
    expect(await screen.findByText('Your library is empty')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Upload your first video' })).toHaveAttribute('href', '/upload');
  });

  it('lists videos with links to watch them and offers more pages', async () => {
    mocked.mockResolvedValue(
      page([video({}), video({ video_id: 'b', title: 'Broken', status: 'FAILED', error: 'no video stream' })], 'c1'),
    );
    renderPage();
    expect(await screen.findByText('Sunset timelapse')).toBeInTheDocument();
    expect(screen.getAllByText('2:05')).toHaveLength(2);
    expect(screen.getByText('no video stream')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Load more' })).toBeEnabled();
    expect(mocked).toHaveBeenCalledWith(
      expect.objectContaining({ sort_by: 'timestamp', order: 'desc', limit: 24 }),
      expect.anything(),
    );
  });

  it('refreshes the list while a video is processing, and stops once it is done', async () => {
    mocked
      .mockResolvedValueOnce(page([video({ status: 'PROCESSING', progress: 0.4 })]))
      .mockResolvedValue(page([video({ status: 'PROCESSED' })]));
    renderPage();
    expect(await screen.findByText('updating live')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('updating live')).toBeNull(), { timeout: 6000 });
    expect(mocked).toHaveBeenCalledTimes(2);
  }, 10_000);

  it('shows the server message when loading fails', async () => {
    mocked.mockRejectedValue(new Error('The service is temporarily unavailable; try again shortly.'));
    renderPage();
    expect(await screen.findByRole('alert')).toHaveTextContent('temporarily unavailable');
  });

  it('switches between "My videos" and "All" for a signed-in user, passing mine=true', async () => {
    mocked.mockResolvedValue(page([video({})]));
    renderPage(makeMe({ username: 'alice' }));
    const whose = await screen.findByRole('group', { name: 'Whose videos' });
    expect(within(whose).getByRole('button', { name: 'All' })).toHaveAttribute('aria-pressed', 'true');
    expect(mocked.mock.lastCall?.[0]).not.toHaveProperty('mine');
    fireEvent.click(within(whose).getByRole('button', { name: 'My videos' }));
    await waitFor(() => expect(mocked.mock.lastCall?.[0]).toMatchObject({ mine: true }));
    expect(within(whose).getByRole('button', { name: 'My videos' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('offers an anonymous visitor no "My videos" toggle and a way to sign in', async () => {
    mocked.mockResolvedValue(page([]));
    renderPage(null);
    expect(await screen.findByText('No public videos yet')).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'Whose videos' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login');
  });

  it('shows visibility, and delete only on the caller’s own videos (or to moderators)', async () => {
    mocked.mockResolvedValue(
      page([
        video({ video_id: 'a', title: 'Mine', owner_id: 'u-alice', visibility: 'private' } as Partial<Video>),
        video({ video_id: 'b', title: 'Theirs', owner_id: 'u-bob', visibility: 'public' } as Partial<Video>),
      ]),
    );
    const { unmount } = renderPage(makeMe({ username: 'alice', user_id: 'u-alice' }));
    expect(await screen.findByText('Mine')).toBeInTheDocument();
    expect(screen.getByText('Private')).toBeInTheDocument();
    expect(screen.getByText('Public')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete Mine' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete Theirs' })).toBeNull();
    unmount();

    renderPage(makeMe({ username: 'mo', user_id: 'u-mo', role: 'moderator' }));
    expect(await screen.findByRole('button', { name: 'Delete Theirs' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete Mine' })).toBeInTheDocument();
  });

  it('shows content flags as badges and filters the listing by flag', async () => {
    const flagged = video({ title: 'Quiet one' });
    Object.assign(flagged, { analysis: { status: 'complete', flags: ['too_quiet', 'no_audio', 'too_quiet'] } });
    mocked.mockResolvedValue(page([flagged, video({ video_id: 'b', title: 'Fine one' })]));
    renderPage();
    const badges = await screen.findByRole('list', { name: 'Content flags' });
    expect(within(badges).getAllByText('Too quiet')).toHaveLength(1); // a repeated code shows once
    expect(within(badges).getByText('No audio')).toBeInTheDocument();
    expect(screen.getAllByRole('list', { name: 'Content flags' })).toHaveLength(1);

    fireEvent.change(screen.getByLabelText('Content'), { target: { value: 'black_start' } });
    await waitFor(() =>
      expect(mocked).toHaveBeenLastCalledWith(expect.objectContaining({ flag: 'black_start' }), expect.anything()),
    );
    expect(screen.getByLabelText('Content')).toHaveValue('black_start');
    expect(
      within(screen.getByLabelText('Content')).getByRole('option', { name: 'Flagged: black at start' }),
    ).toBeInTheDocument();
  });
});
