import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { ROLES, type CreatedUser, type NewUser, type Role } from '@/api/authTypes';
import { adminCreateUser } from '@/api/adminCreateUser';
import { errorMessage } from '@/api/errors';
import { queryKeys } from '@/api/queries';
import { Dialog, ROLE_LABELS, SecretReveal } from '@/components';

/**
 * A new user: name, role, and a password or none (then the server generates one, shown here once,
 * which the user must change at first sign-in).
 */
export function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [password, setPassword] = useState('');
  const [created, setCreated] = useState<CreatedUser | null>(null);
  const create = useMutation({
    mutationFn: (user: NewUser) => adminCreateUser(user),
    onSuccess: (answer) => {
      void client.invalidateQueries({ queryKey: queryKeys.users });
      if (answer.password) setCreated(answer);
      else close();
    },
  });

  function close() {
    setCreated(null);
    setUsername('');
    setRole('user');
    setPassword('');
    create.reset();
    onClose();
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ username: username.trim(), role, ...(password ? { password } : {}) });
  };

  if (created?.password) {
    return (
      <Dialog open={open} title="User created" onClose={close} dismissOnBackdrop={false} className="max-w-lg">
        <p className="mb-4 text-sm text-slate-400">
          Give <span className="font-medium text-slate-200">{created.user.username}</span> this password. They must
          change it when they first sign in.
        </p>
        <SecretReveal
          label={`Password for ${created.user.username}`}
          secret={created.password}
          warning="It is shown only this once. If it is lost, reset the password to make a new one."
        />
        <div className="mt-6 flex justify-end">
          <button type="button" className="btn-primary" onClick={close}>
            Done
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog open={open} title="New user" onClose={close} dismissOnBackdrop={false}>
      <form onSubmit={submit} className="flex flex-col gap-4" aria-label="New user">
        <div>
          <label htmlFor="new-user-name" className="label">
            Username
          </label>
          <input
            id="new-user-name"
            className="input"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="new-user-role" className="label">
            Role
          </label>
          <select id="new-user-role" className="input" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="new-user-password" className="label">
            Password (optional)
          </label>
          <input
            id="new-user-password"
            type="password"
            className="input"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby="new-user-password-help"
          />
          <p id="new-user-password-help" className="mt-1 text-xs text-slate-500">
            Leave empty to have one generated; it is shown once and must be changed at first sign-in.
          </p>
        </div>
        {create.isError && (
          <p role="alert" className="text-sm text-rose-300">
            {errorMessage(create.error)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" className="btn-secondary" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn-primary" disabled={create.isPending}>
            {create.isPending && <Loader2 aria-hidden className="h-4 w-4 animate-spin" />}
            Create user
          </button>
        </div>
      </form>
    </Dialog>
  );
}
