import { fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { UploadPage } from './UploadPage';

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

describe('UploadPage', () => {
  it('rejects unsupported files with a clear message and uploads valid ones', async () => {
    render(
      <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <UploadPage />
      </MemoryRouter>,
    );
    pick([new File(['hello'], 'notes.txt'), new File(['x'.repeat(1024)], 'clip.mp4')]);

    const bad = screen.getByRole('listitem', { name: 'notes.txt' });
    expect(within(bad).getByText(/\.txt files are not supported/)).toBeInTheDocument();

    const good = screen.getByRole('listitem', { name: 'clip.mp4' });
    expect(await within(good).findByRole('progressbar', { name: 'Uploading clip.mp4' })).toHaveAttribute('aria-valuenow', '50');

    fireEvent.click(within(good).getByRole('button', { name: 'Cancel upload of clip.mp4' }));
    expect(await within(good).findByText('Cancelled')).toBeInTheDocument();
  });
});
