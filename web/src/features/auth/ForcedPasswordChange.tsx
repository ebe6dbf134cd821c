import { KeyRound } from 'lucide-react';
import { AuthCard } from './AuthCard';
import { ChangePasswordForm } from './ChangePasswordForm';
import { useSignOut } from './useSignOut';

/** The step an account with a temporary password (generated or reset) must take first. */
export function ForcedPasswordChange({
  username,
  currentPassword,
  onDone,
}: {
  username: string;
  /** Known right after signing in; otherwise the form asks for it. */
  currentPassword?: string;
  onDone?: () => void;
}) {
  const { signOut } = useSignOut();
  return (
    <AuthCard title="Change your password" icon={<KeyRound aria-hidden className="h-5 w-5" />}>
      <p className="mb-4 text-sm text-slate-400">
        Signed in as <span className="font-medium text-slate-200">{username}</span>. This account has a temporary
        password: choose your own before you continue.
      </p>
      <ChangePasswordForm currentPassword={currentPassword} submitLabel="Set password and continue" onDone={onDone} />
      <button type="button" className="btn-ghost mt-4 w-full" onClick={() => signOut.mutate()}>
        Sign out instead
      </button>
    </AuthCard>
  );
}
