import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { Me } from '@/api/authTypes';
import { adminCreateUser } from '@/api/adminCreateUser';
import { adminListUsers } from '@/api/adminListUsers';
import { adminResetPassword } from '@/api/adminResetPassword';
import { adminUpdateUser } from '@/api/adminUpdateUser';
import { createTestQueryClient, renderWithQueryClient } from '@/test/render';
import { makeMe, makeUser, seedMe } from '@/test/session';
import { AdminUsersPage } from './AdminUsersPage';

vi.mock('@/api/adminListUsers', () => ({ adminListUsers: vi.fn() }));
vi.mock('@/api/adminCreateUser', () => ({ adminCreateUser: vi.fn() }));
vi.mock('@/api/adminUpdateUser', () => ({ adminUpdateUser: vi.fn() }));
vi.mock('@/api/adminResetPassword', () => ({ adminResetPassword: vi.fn() }));

const admin = makeMe({ username: 'root', user_id: 'u-root', role: 'admin' });
const alice = makeUser({ username: 'alice', user_id: 'u-alice', quota_bytes: 5 * 1024 ** 3, used_bytes: 1024 ** 3 });
const carol = makeUser({ username: 'carol', user_id: 'u-carol', approved: false });

function renderPage(me: Me | null = admin) {
  return renderWithQueryClient(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <AdminUsersPage />
    </MemoryRouter>,
    seedMe(createTestQueryClient(), me),
  );
}

beforeEach(() => {
  vi.mocked(adminListUsers)
    .mockReset()
    .mockResolvedValue({ users: [admin.user, alice, carol] });
  vi.mocked(adminCreateUser).mockReset();
  vi.mocked(adminUpdateUser).mockReset();
  vi.mocked(adminResetPassword).mockReset();
});

describe('AdminUsersPage', () => {
  it('is for those who manage users only', () => {
    renderPage(makeMe({ role: 'moderator' }));
    expect(screen.getByRole('heading', { name: 'Admins only' })).toBeInTheDocument();
    expect(adminListUsers).not.toHaveBeenCalled();
  });

  it('lists users with status, quota and usage in human units', async () => {
    renderPage();
    const row = await screen.findByRole('row', { name: 'alice' });
    expect(row).toHaveTextContent('Active');
    expect(row).toHaveTextContent('5.0 GB');
    expect(row).toHaveTextContent('1.0 GB');
    expect(screen.getByRole('row', { name: 'carol' })).toHaveTextContent('Pending approval');
    // No one disables or demotes themselves from here.
    const self = screen.getByRole('row', { name: 'root' });
    expect(within(self).getByRole('combobox', { name: 'Role of root' })).toBeDisabled();
    expect(within(self).queryByRole('button', { name: /Disable/ })).toBeNull();
  });

  it('approves, disables and changes roles through PATCH', async () => {
    vi.mocked(adminUpdateUser).mockImplementation(async (id, change) => ({
      user: { ...(id === 'u-carol' ? carol : alice), ...change } as typeof alice,
    }));
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Approve carol' }));
    await waitFor(() => expect(adminUpdateUser).toHaveBeenCalledWith('u-carol', { approved: true }));
    fireEvent.click(screen.getByRole('button', { name: 'Disable alice' }));
    await waitFor(() => expect(adminUpdateUser).toHaveBeenCalledWith('u-alice', { disabled: true }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Role of alice' }), { target: { value: 'moderator' } });
    await waitFor(() => expect(adminUpdateUser).toHaveBeenCalledWith('u-alice', { role: 'moderator' }));
  });

  it('edits quotas in units and sends bytes', async () => {
    vi.mocked(adminUpdateUser).mockResolvedValue({ user: { ...alice, quota_bytes: 10 * 1024 ** 3 } });
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Edit quotas of alice' }));
    const dialog = screen.getByRole('dialog', { name: 'Quotas of alice' });
    expect(within(dialog).getByLabelText('Storage quota')).toHaveValue('5');
    fireEvent.change(within(dialog).getByLabelText('Storage quota'), { target: { value: '10' } });
    fireEvent.change(within(dialog).getByLabelText('Daily upload quota'), { target: { value: '500' } });
    fireEvent.change(within(dialog).getByLabelText('Daily upload quota unit'), { target: { value: 'MB' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save quotas' }));
    await waitFor(() =>
      expect(adminUpdateUser).toHaveBeenCalledWith('u-alice', {
        quota_bytes: 10 * 1024 ** 3,
        daily_quota_bytes: 500 * 1024 ** 2,
      }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('creates a user and shows a generated password once', async () => {
    vi.mocked(adminCreateUser).mockResolvedValue({
      user: makeUser({ username: 'dave', must_change_password: true }),
      password: 'gen-Pa55-word',
    });
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'New user' }));
    const form = screen.getByRole('form', { name: 'New user' });
    fireEvent.change(within(form).getByLabelText('Username'), { target: { value: 'dave' } });
    fireEvent.change(within(form).getByLabelText('Role'), { target: { value: 'moderator' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create user' }));
    const shown = await screen.findByRole('dialog', { name: 'User created' });
    expect(adminCreateUser).toHaveBeenCalledWith({ username: 'dave', role: 'moderator' });
    expect(within(shown).getByLabelText('Password for dave')).toHaveTextContent('gen-Pa55-word');
    fireEvent.click(within(shown).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.body).not.toHaveTextContent('gen-Pa55-word');
  });

  it('resets a password after confirmation and shows the new one once', async () => {
    vi.mocked(adminResetPassword).mockResolvedValue({ password: 'new-Pa55-word' });
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Reset password of alice' }));
    fireEvent.click(
      within(screen.getByRole('alertdialog', { name: /Reset the password of alice/ })).getByRole('button', {
        name: 'Reset password',
      }),
    );
    const shown = await screen.findByRole('dialog', { name: 'New password' });
    expect(adminResetPassword).toHaveBeenCalledWith('u-alice');
    expect(within(shown).getByLabelText('Password for alice')).toHaveTextContent('new-Pa55-word');
  });
});
