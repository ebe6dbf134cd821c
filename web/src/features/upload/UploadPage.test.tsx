import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Me } from '@/api/authTypes';
import { uploadVideo } from '@/api/uploadVideo';
import { MemoryRouter } from 'react-router-dom';
import { UploadPage } from './UploadPage';
import { resetUploadQueue } from './useUploadQueue';
import { createTestQueryClient, renderWithQueryClient } from '@/test/render';
import { makeMe, seedMe } from '@/test/session';

vi.mock('@/api/uploadVideo', () => ({
  uploadVideo: vi.fn(
    (_file: File, opts: { signal: AbortSignal; onProgress: (l: number, t?: number) => void }) =>
      new Promise((_resolve, reject) => {
        opts.onProgress(512, 1024);
        opts.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      }),
  ),
}));
vi.mock('@/api/getVideo', () => ({ getVideo: vi.fn() }));

function pick(files: File[]) {
  const input = screen.getByLabelText('Choose video files to upload');
  fireEvent.change(input, { target: { files } });
}

afterEach(() => resetUploadQueue());

function renderPage(me: Me | null = makeMe()) {
  return renderWithQueryClient(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <UploadPage />
    </MemoryRouter>,
    seedMe(createTestQueryClient(), me),
  );
}

describe('UploadPage', () => {
  it('rejects unsupported files with a clear message and uploads valid ones', async () => {
    renderPage();
    pick([new File(['hello'], 'notes.txt'), new File(['x'.repeat(1024)], 'clip.mp4')]);

    const bad = screen.getByRole('listitem', { name: 'notes.txt' });
    expect(within(bad).getByText(/\.txt files are not supported/)).toBeInTheDocument();

    const good = screen.getByRole('listitem', { name: 'clip.mp4' });
    expect(await within(good).findByRole('progressbar', { name: 'Uploading clip.mp4' })).toHaveAttribute(
      'aria-valuenow',
      '50',
    );

    fireEvent.click(within(good).getByRole('button', { name: 'Cancel upload of clip.mp4' }));
    expect(await within(good).findByText('Cancelled')).toBeInTheDocument();
  });

  it('keeps uploading when the person leaves the page and shows the row on return', async () => {
    const first = renderPage();
    pick([new File(['x'.repeat(1024)], 'long-film.mp4')]);
    expect(await screen.findByRole('progressbar', { name: 'Uploading long-film.mp4' })).toBeInTheDocument();
    first.unmount();

    renderPage();
    const row = screen.getByRole('listitem', { name: 'long-film.mp4' });
    expect(within(row).getByRole('progressbar', { name: 'Uploading long-film.mp4' })).toHaveAttribute(
      'aria-valuenow',
      '50',
    );
  });

  it('sends the chosen visibility with each file (public by default)', async () => {
    renderPage();
    const select = screen.getByLabelText('Visibility');
    expect(select).toHaveValue('public');
    fireEvent.change(select, { target: { value: 'private' } });
    pick([new File(['x'.repeat(1024)], 'secret.mp4')]);
    await waitFor(() =>
      expect(uploadVideo).toHaveBeenLastCalledWith(
        expect.any(File),
        expect.objectContaining({ visibility: 'private' }),
      ),
    );
    expect(within(screen.getByRole('listitem', { name: 'secret.mp4' })).getByText('Private')).toBeInTheDocument();
  });

  it('asks an anonymous visitor to sign in instead of offering the upload', () => {
    renderPage(null);
    expect(screen.getByRole('heading', { name: 'Sign in to upload' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login');
    expect(screen.queryByRole('button', { name: 'Choose files' })).toBeNull();
  });

  it('tells a signed-in user without the upload right why there is no upload', () => {
    renderPage(makeMe({ rights: ['like'] }));
    expect(screen.getByRole('heading', { name: 'Your account cannot upload' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Choose files' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Sign in' })).toBeNull();
  });
});
