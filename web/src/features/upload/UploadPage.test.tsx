import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Me } from '@/api/authTypes';
import { MemoryRouter } from 'react-router-dom';
import type { PreviousTransfer, TransferHandlers, UploadMeta } from './transfer';
import { UploadPage } from './UploadPage';
import { resetUploadQueue } from './useUploadQueue';
import { createTestQueryClient, renderWithQueryClient } from '@/test/render';
import { makeMe, seedMe } from '@/test/session';

// Transfers stand in for tus: each reports half of its file sent at once; a file named
// `partial-*` was partly uploaded before (a quarter of it is on the server).
const transfers = vi.hoisted(() => ({
  made: [] as Array<{ name: string; meta: UploadMeta; starts: boolean[]; paused: number; cancelled: number }>,
}));
vi.mock('./uploader', () => ({
  serverUploader: () => (file: File, meta: UploadMeta, handlers: TransferHandlers) => {
    const t = { name: file.name, meta, starts: [] as boolean[], paused: 0, cancelled: 0 };
    transfers.made.push(t);
    return {
      findPrevious: async (): Promise<PreviousTransfer | null> =>
        file.name.startsWith('partial-') ? { offset: file.size / 4, size: file.size } : null,
      start: (continuePrevious: boolean) => {
        t.starts.push(continuePrevious);
        if (continuePrevious) handlers.onResumedAt(file.size / 4);
        handlers.onProgress(file.size / 2, file.size);
      },
      pause: () => void (t.paused += 1),
      cancel: async () => void (t.cancelled += 1),
    };
  },
}));
vi.mock('@/api/getVideo', () => ({ getVideo: vi.fn() }));

function pick(files: File[]) {
  const input = screen.getByLabelText('Choose video files to upload');
  fireEvent.change(input, { target: { files } });
}

afterEach(() => {
  resetUploadQueue();
  transfers.made.length = 0;
});

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
    expect(transfers.made[0].cancelled).toBe(1);
  });

  it('offers to continue a partly uploaded file, and continues it', async () => {
    renderPage();
    pick([new File(['x'.repeat(4 * 1024 * 1024)], 'partial-film.mp4')]);
    const row = screen.getByRole('listitem', { name: 'partial-film.mp4' });
    expect(
      await within(row).findByText('This file was partly uploaded (1.0 MB of 4.0 MB)', { exact: false }),
    ).toBeInTheDocument();
    expect(transfers.made[0].starts).toEqual([]);

    fireEvent.click(within(row).getByRole('button', { name: 'Continue' }));
    expect(await within(row).findByRole('progressbar', { name: 'Uploading partial-film.mp4' })).toHaveAttribute(
      'aria-valuenow',
      '50',
    );
    expect(within(row).getByText('resumed at 1.0 MB')).toBeInTheDocument();
    expect(transfers.made[0].starts).toEqual([true]);

    fireEvent.click(within(row).getByRole('button', { name: 'Pause upload of partial-film.mp4' }));
    expect(await within(row).findByRole('progressbar', { name: 'Paused partial-film.mp4' })).toBeInTheDocument();
    expect(transfers.made[0].paused).toBe(1);
    fireEvent.click(within(row).getByRole('button', { name: 'Resume upload of partial-film.mp4' }));
    expect(await within(row).findByRole('progressbar', { name: 'Uploading partial-film.mp4' })).toBeInTheDocument();
    expect(transfers.made[0].starts).toEqual([true, true]);
  });

  it('starts a partly uploaded file over when asked', async () => {
    renderPage();
    pick([new File(['x'.repeat(2048)], 'partial-draft.mp4')]);
    const row = screen.getByRole('listitem', { name: 'partial-draft.mp4' });
    fireEvent.click(await within(row).findByRole('button', { name: 'Start over' }));
    expect(await within(row).findByRole('progressbar', { name: 'Uploading partial-draft.mp4' })).toBeInTheDocument();
    expect(within(row).queryByText(/resumed at/)).toBeNull();
    expect(transfers.made[0].starts).toEqual([false]);
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
    await waitFor(() => expect(transfers.made.at(-1)?.meta).toMatchObject({ visibility: 'private' }));
    expect(within(screen.getByRole('listitem', { name: 'secret.mp4' })).getByText('Private')).toBeInTheDocument();
  });

  it('sends the title and description with a single file, then empties them', async () => {
    renderPage();
    fireEvent.change(screen.getByLabelText(/^Title/), { target: { value: 'Harbour at night' } });
    fireEvent.change(screen.getByLabelText(/^Description/), { target: { value: 'Boats, lights.' } });
    pick([new File(['x'.repeat(1024)], 'harbour.mp4')]);
    await waitFor(() =>
      expect(transfers.made.at(-1)?.meta).toEqual({
        title: 'Harbour at night',
        description: 'Boats, lights.',
        visibility: 'public',
      }),
    );
    expect(screen.getByLabelText(/^Title/)).toHaveValue('');
    expect(screen.getByLabelText(/^Description/)).toHaveValue('');

    fireEvent.change(screen.getByLabelText(/^Title/), { target: { value: 'One name for two' } });
    pick([new File(['x'], 'a.mp4'), new File(['y'], 'b.mp4')]);
    await waitFor(() => expect(transfers.made).toHaveLength(3));
    expect(transfers.made.slice(1).map((t) => t.meta.title)).toEqual([undefined, undefined]);
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
