import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { Me } from '@/api/authTypes';
import { createToken } from '@/api/createToken';
import { listTokens } from '@/api/listTokens';
import { revokeToken } from '@/api/revokeToken';
import { createTestQueryClient, renderWithQueryClient } from '@/test/render';
import { makeMe, seedMe } from '@/test/session';
import { TokensPage } from './TokensPage';

vi.mock('@/api/listTokens', () => ({ listTokens: vi.fn() }));
vi.mock('@/api/createToken', () => ({ createToken: vi.fn() }));
vi.mock('@/api/revokeToken', () => ({ revokeToken: vi.fn() }));

const SECRET = 'kin_S3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3c';
const existing = {
  token_id: 't-old',
  name: 'backup-job',
  hint: 'kin_Zz9y…qrst',
  scopes: ['videos:read' as const],
  created_at: 1_738_300_000,
  expires_at: null,
  last_used_at: 1_738_310_000,
  revoked: false,
};

function renderPage(me: Me | null = makeMe()) {
  return renderWithQueryClient(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <TokensPage />
    </MemoryRouter>,
    seedMe(createTestQueryClient(), me),
  );
}

beforeEach(() => {
  vi.mocked(listTokens)
    .mockReset()
    .mockResolvedValue({ tokens: [existing] });
  vi.mocked(createToken).mockReset();
  vi.mocked(revokeToken).mockReset();
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: { writeText: vi.fn().mockResolvedValue(undefined) },
  });
});

describe('TokensPage', () => {
  it('lists tokens with their hint, scopes and state', async () => {
    renderPage();
    const row = (await screen.findByText('backup-job')).closest('tr')!;
    expect(row).toHaveTextContent('kin_Zz9y…qrst');
    expect(row).toHaveTextContent('videos:read');
    expect(row).toHaveTextContent('Active');
    expect(row).toHaveTextContent('Never');
  });

  it('shows a new token once, with a copy button and a warning, and forgets it on close', async () => {
    vi.mocked(createToken).mockResolvedValue({
      token: SECRET,
      token_id: 't-new',
      name: 'uploader',
      hint: 'kin_S3cr…tS3c',
      scopes: ['videos:read', 'videos:write'],
      created_at: 1_738_320_000,
      expires_at: 1_740_912_000,
    });
    renderPage();
    await screen.findByText('backup-job');
    fireEvent.click(screen.getByRole('button', { name: 'New token' }));
    const form = screen.getByRole('form', { name: 'New API token' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'uploader' } });
    fireEvent.click(within(form).getByRole('checkbox', { name: /videos:write/ }));
    fireEvent.change(within(form).getByLabelText('Expires after (days)'), { target: { value: '30' } });
    // No admin scope for a user who does not manage users.
    expect(within(form).queryByRole('checkbox', { name: /^admin/ })).toBeNull();
    fireEvent.click(within(form).getByRole('button', { name: 'Create token' }));

    const dialog = await screen.findByRole('dialog', { name: 'Token created' });
    await waitFor(() =>
      expect(createToken).toHaveBeenCalledWith({
        name: 'uploader',
        scopes: ['videos:read', 'videos:write'],
        expires_in_days: 30,
      }),
    );
    expect(within(dialog).getByLabelText('Your new token')).toHaveTextContent(SECRET);
    expect(within(dialog).getByRole('note')).toHaveTextContent(/only time Kinora shows it/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Copy' }));
    await waitFor(() => expect(navigator.clipboard.writeText).toHaveBeenCalledWith(SECRET));
    expect(await within(dialog).findByRole('button', { name: 'Copied' })).toBeInTheDocument();

    fireEvent.click(within(dialog).getByRole('button', { name: 'I have copied it' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.body).not.toHaveTextContent(SECRET);
    // Opening the dialog again starts a new token; the old secret is gone for good.
    fireEvent.click(screen.getByRole('button', { name: 'New token' }));
    expect(screen.getByRole('dialog', { name: 'New API token' })).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(SECRET);
  });

  it('offers the admin scope to admins, and checks the form before sending', async () => {
    renderPage(makeMe({ role: 'admin' }));
    await screen.findByText('backup-job');
    fireEvent.click(screen.getByRole('button', { name: 'New token' }));
    const form = screen.getByRole('form', { name: 'New API token' });
    expect(within(form).getByRole('checkbox', { name: /^admin/ })).toBeInTheDocument();
    fireEvent.click(within(form).getByRole('button', { name: 'Create token' }));
    expect(within(form).getByRole('alert')).toHaveTextContent(/Give the token a name/);
    expect(createToken).not.toHaveBeenCalled();
  });

  it('revokes a token after confirmation', async () => {
    vi.mocked(revokeToken).mockResolvedValue();
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke backup-job' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Revoke this token?' });
    vi.mocked(listTokens).mockResolvedValue({ tokens: [{ ...existing, revoked: true }] });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Revoke token' }));
    await waitFor(() => expect(revokeToken).toHaveBeenCalledWith('t-old'));
    expect(await screen.findByText('Revoked')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Revoke backup-job' })).toBeNull();
  });

  it('asks an anonymous visitor to sign in', () => {
    renderPage(null);
    expect(screen.getByRole('heading', { name: 'Sign in to manage API tokens' })).toBeInTheDocument();
    expect(listTokens).not.toHaveBeenCalled();
  });
});
