import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import type { Me, PasswordChange } from '@/api/authTypes';
import { changePassword } from '@/api/changePassword';
import { errorMessage } from '@/api/errors';
import { queryKeys } from '@/api/queries';

/**
 * Current password (unless the caller already knows it, right after signing in), new password
 * twice. On success the server ends the user's other sessions and clears must_change_password.
 */
export function ChangePasswordForm({
  currentPassword,
  submitLabel = 'Change password',
  onDone,
}: {
  /** Known: the field is not asked for. */
  currentPassword?: string;
  submitLabel?: string;
  onDone?: () => void;
}) {
  const id = useId();
  const client = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);

  const change = useMutation({
    mutationFn: (change: PasswordChange) => changePassword(change),
    onMutate: () => {
      setProblem(null);
      setChanged(false);
    },
    onSuccess: () => {
      client.setQueryData<Me | null>(queryKeys.me, (me) =>
        me ? { ...me, user: { ...me.user, must_change_password: false } } : me,
      );
      void client.invalidateQueries({ queryKey: queryKeys.me });
      setCurrent('');
      setNext('');
      setAgain('');
      setChanged(true);
      onDone?.();
    },
    onError: (e) => setProblem(errorMessage(e)),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const old = currentPassword ?? current;
    if (next !== again) return setProblem('The new passwords do not match.');
    if (next === old) return setProblem('Choose a password different from the current one.');
    change.mutate({ current_password: old, new_password: next });
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Change password">
      {currentPassword === undefined && (
        <div>
          <label htmlFor={`${id}-current`} className="label">
            Current password
          </label>
          <input
            id={`${id}-current`}
            type="password"
            className="input"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </div>
      )}
      <div>
        <label htmlFor={`${id}-new`} className="label">
          New password
        </label>
        <input
          id={`${id}-new`}
          type="password"
          className="input"
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
      </div>
      <div>
        <label htmlFor={`${id}-again`} className="label">
          New password again
        </label>
        <input
          id={`${id}-again`}
          type="password"
          className="input"
          autoComplete="new-password"
          required
          value={again}
          onChange={(e) => setAgain(e.target.value)}
        />
      </div>
      {problem && (
        <p role="alert" className="text-sm text-rose-300">
          {problem}
        </p>
      )}
      {changed && (
        <p role="status" className="text-sm text-emerald-300">
          Password changed. Your other sessions were signed out.
        </p>
      )}
      <div>
        <button type="submit" className="btn-primary" disabled={change.isPending}>
          {change.isPending && <Loader2 aria-hidden className="h-4 w-4 animate-spin" />}
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
