import { useCallback, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ShieldAlert, UserPlus, Users } from 'lucide-react';
import { ROLES, type Role, type User, type UserChange, type UserList } from '@/api/authTypes';
import { adminResetPassword } from '@/api/adminResetPassword';
import { adminUpdateUser } from '@/api/adminUpdateUser';
import { errorMessage } from '@/api/errors';
import { queryKeys, usersQuery } from '@/api/queries';
import {
  ConfirmDialog,
  Dialog,
  EmptyState,
  ErrorState,
  LoadingState,
  PageHeader,
  ROLE_LABELS,
  SecretReveal,
  SignInPrompt,
} from '@/components';
import { cn } from '@/lib/cn';
import { formatBytes, formatEpoch } from '@/lib/format';
import { useMe } from '@/lib/useMe';
import { CreateUserDialog } from './CreateUserDialog';
import { QuotaDialog } from './QuotaDialog';
import { userStatus, type UserStatus } from './users';

const STATUS_STYLES: Record<UserStatus, { label: string; className: string }> = {
  active: { label: 'Active', className: 'bg-emerald-500/10 text-emerald-300 ring-emerald-500/30' },
  disabled: { label: 'Disabled', className: 'bg-rose-500/10 text-rose-300 ring-rose-500/30' },
  pending: { label: 'Pending approval', className: 'bg-amber-500/10 text-amber-300 ring-amber-500/30' },
};

/** /admin/users: every account; create, change role, disable/enable, approve, reset password, quotas. */
export function AdminUsersPage() {
  const { me, loading, can } = useMe();
  if (loading) return <LoadingState label="Loading…" />;
  if (!me) return <SignInPrompt title="Sign in as an admin" message="Managing users needs an admin account." />;
  if (!can('manage_users')) {
    return (
      <SignInPrompt
        signedIn
        icon={<ShieldAlert className="h-7 w-7" />}
        title="Admins only"
        message="Your role cannot manage users."
      />
    );
  }
  return <AdminUsers selfId={me.user.user_id} />;
}

function AdminUsers({ selfId }: { selfId: string }) {
  const client = useQueryClient();
  const { data, error, isPending, refetch } = useQuery(usersQuery());
  const [creating, setCreating] = useState(false);
  const [editingQuota, setEditingQuota] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [newPassword, setNewPassword] = useState<{ username: string; password: string } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const update = useMutation({
    mutationFn: ({ user, change }: { user: User; change: UserChange }) => adminUpdateUser(user.user_id, change),
    onMutate: () => setActionError(null),
    onSuccess: ({ user }) => {
      client.setQueryData<UserList>(queryKeys.users, (list) =>
        list ? { users: list.users.map((u) => (u.user_id === user.user_id ? user : u)) } : list,
      );
      void client.invalidateQueries({ queryKey: queryKeys.users });
      setEditingQuota(null);
    },
    onError: (e) => setActionError(errorMessage(e)),
  });
  const reset = useMutation({
    mutationFn: (user: User) => adminResetPassword(user.user_id),
    onMutate: () => setActionError(null),
    onSuccess: (answer, user) => {
      setResetting(null);
      setNewPassword({ username: user.username, password: answer.password });
      void client.invalidateQueries({ queryKey: queryKeys.users });
    },
    onError: (e) => {
      setResetting(null);
      setActionError(errorMessage(e));
    },
  });
  const change = (user: User, c: UserChange) => update.mutate({ user, change: c });
  const closeCreate = useCallback(() => setCreating(false), []);
  const closeQuota = useCallback(() => {
    setEditingQuota(null);
    update.reset();
  }, [update]);
  const cancelReset = useCallback(() => setResetting(null), []);
  const closePassword = useCallback(() => setNewPassword(null), []);

  return (
    <div>
      <PageHeader
        title="Users"
        subtitle={data ? `${data.users.length} ${data.users.length === 1 ? 'account' : 'accounts'}` : undefined}
        actions={
          <button type="button" className="btn-primary" onClick={() => setCreating(true)}>
            <UserPlus aria-hidden className="h-4 w-4" /> New user
          </button>
        }
      />
      {actionError && !editingQuota && (
        <p role="alert" className="mb-4 text-sm text-rose-300">
          {actionError}
        </p>
      )}
      {isPending ? (
        <LoadingState label="Loading users…" />
      ) : error ? (
        <ErrorState title="Could not load the users" message={errorMessage(error)} onRetry={() => void refetch()} />
      ) : data.users.length === 0 ? (
        <EmptyState icon={<Users className="h-7 w-7" />} title="No users" />
      ) : (
        <div className="card overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-800">
            <caption className="sr-only">Users</caption>
            <thead>
              <tr>
                <th scope="col" className="th">
                  Username
                </th>
                <th scope="col" className="th">
                  Role
                </th>
                <th scope="col" className="th">
                  Status
                </th>
                <th scope="col" className="th text-right">
                  Quota
                </th>
                <th scope="col" className="th text-right">
                  Used
                </th>
                <th scope="col" className="th">
                  Created
                </th>
                <th scope="col" className="th">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-800/70">
              {data.users.map((u) => {
                const status = userStatus(u);
                const self = u.user_id === selfId;
                const busy = update.isPending && update.variables?.user.user_id === u.user_id;
                return (
                  <tr key={u.user_id} className="hover:bg-slate-800/40" aria-label={u.username}>
                    <td className="td font-medium text-white">
                      {u.username}
                      {self && <span className="ml-2 text-xs font-normal text-slate-500">(you)</span>}
                      {u.must_change_password && (
                        <span className="block text-xs font-normal text-slate-500">must change password</span>
                      )}
                    </td>
                    <td className="td">
                      <select
                        className="input w-auto py-1"
                        aria-label={`Role of ${u.username}`}
                        value={u.role}
                        disabled={self || busy}
                        title={self ? 'You cannot change your own role here' : undefined}
                        onChange={(e) => change(u, { role: e.target.value as Role })}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABELS[r]}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="td">
                      <span
                        className={cn(
                          'inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset',
                          STATUS_STYLES[status].className,
                        )}
                      >
                        {STATUS_STYLES[status].label}
                      </span>
                    </td>
                    <td className="td whitespace-nowrap text-right tabular-nums">
                      {u.quota_bytes != null ? formatBytes(u.quota_bytes) : 'No limit'}
                      <span className="block text-xs text-slate-500">
                        {u.daily_quota_bytes != null ? `${formatBytes(u.daily_quota_bytes)} a day` : 'no daily limit'}
                      </span>
                    </td>
                    <td className="td whitespace-nowrap text-right tabular-nums">{formatBytes(u.used_bytes)}</td>
                    <td className="td whitespace-nowrap text-slate-400">{formatEpoch(u.created_at)}</td>
                    <td className="td">
                      <div className="flex flex-wrap justify-end gap-1">
                        {!u.approved && (
                          <button
                            type="button"
                            className="btn-secondary px-2 py-1 text-xs"
                            disabled={busy}
                            onClick={() => change(u, { approved: true })}
                            aria-label={`Approve ${u.username}`}
                          >
                            Approve
                          </button>
                        )}
                        {!self && (
                          <button
                            type="button"
                            className={cn(
                              'btn-ghost px-2 py-1 text-xs',
                              !u.disabled && 'text-rose-300 hover:text-rose-200',
                            )}
                            disabled={busy}
                            onClick={() => change(u, { disabled: !u.disabled })}
                            aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.username}`}
                          >
                            {u.disabled ? 'Enable' : 'Disable'}
                          </button>
                        )}
                        <button
                          type="button"
                          className="btn-ghost px-2 py-1 text-xs"
                          onClick={() => {
                            update.reset();
                            setEditingQuota(u);
                          }}
                          aria-label={`Edit quotas of ${u.username}`}
                        >
                          Quotas
                        </button>
                        {!self && (
                          <button
                            type="button"
                            className="btn-ghost px-2 py-1 text-xs"
                            onClick={() => setResetting(u)}
                            aria-label={`Reset password of ${u.username}`}
                          >
                            Reset password
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <CreateUserDialog open={creating} onClose={closeCreate} />
      <QuotaDialog
        user={editingQuota}
        busy={update.isPending}
        error={editingQuota && update.isError ? errorMessage(update.error) : null}
        onSave={(c) => editingQuota && change(editingQuota, c)}
        onClose={closeQuota}
      />
      <ConfirmDialog
        open={resetting !== null}
        title={`Reset the password of ${resetting?.username ?? ''}?`}
        message="A new password is generated and shown once; their sessions end and they must choose a new password when they next sign in."
        confirmLabel="Reset password"
        busy={reset.isPending}
        onConfirm={() => resetting && reset.mutate(resetting)}
        onCancel={cancelReset}
      />
      <Dialog
        open={newPassword !== null}
        title="New password"
        onClose={closePassword}
        dismissOnBackdrop={false}
        className="max-w-lg"
      >
        {newPassword && (
          <>
            <SecretReveal
              label={`Password for ${newPassword.username}`}
              secret={newPassword.password}
              warning="It is shown only this once. They must change it when they next sign in."
            />
            <div className="mt-6 flex justify-end">
              <button type="button" className="btn-primary" onClick={closePassword}>
                Done
              </button>
            </div>
          </>
        )}
      </Dialog>
    </div>
  );
}
