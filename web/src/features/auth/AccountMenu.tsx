import { useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { ChevronDown, KeyRound, LogIn, LogOut, ShieldCheck, UserRound } from 'lucide-react';
import { RoleBadge, Skeleton } from '@/components';
import { signInPath } from '@/lib/access';
import { useMe } from '@/lib/useMe';
import { useSignOut } from './useSignOut';

const ITEM =
  'flex w-full items-center gap-2.5 rounded-md px-3 py-2 text-left text-sm text-slate-300 transition-colors hover:bg-slate-800 hover:text-white';

/**
 * The header's account control: "Sign in" for an anonymous caller; for a signed-in one a button
 * with the username and role that opens links to the account, the API tokens, the admin pages
 * (manage_users only) and signing out.
 */
export function AccountMenu() {
  const { me, loading, can } = useMe();
  const { pathname, search } = useLocation();
  const { signOut } = useSignOut();
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  // Remembers the page it was opened on, so navigating anywhere closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname + search;
  const close = () => setOpenOn(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpenOn(null);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpenOn(null);
    };
    document.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);

  if (loading) return <Skeleton className="h-9 w-28" />;
  if (!me) {
    if (pathname === '/login') return null;
    return (
      <Link to={signInPath(pathname + search)} className="btn-secondary py-1.5">
        <LogIn aria-hidden className="h-4 w-4" /> Sign in
      </Link>
    );
  }

  const { username, role } = me.user;
  return (
    <div ref={root} className="relative">
      <button
        type="button"
        className="btn-ghost gap-2 py-1.5 pl-1.5 pr-2"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={`Account: ${username} (${role})`}
        onClick={() => setOpenOn(open ? null : pathname + search)}
      >
        <span
          aria-hidden
          className="flex h-7 w-7 items-center justify-center rounded-full bg-brand-600 text-xs font-semibold uppercase text-white"
        >
          {username.slice(0, 1)}
        </span>
        <span className="max-w-[10rem] truncate text-sm font-medium text-slate-100">{username}</span>
        <RoleBadge role={role} className="hidden sm:inline-flex" />
        <ChevronDown aria-hidden className="h-4 w-4 text-slate-400" />
      </button>
      {open && (
        <div
          id={menuId}
          className="card absolute right-0 z-50 mt-2 w-60 p-1.5 shadow-lg shadow-black/40"
          aria-label="Account menu"
          role="group"
        >
          <div className="px-3 pb-2 pt-1.5 text-xs text-slate-500">
            Signed in as <span className="font-medium text-slate-300">{username}</span>
          </div>
          <Link to="/account" className={ITEM} onClick={close}>
            <UserRound aria-hidden className="h-4 w-4" /> Account
          </Link>
          <Link to="/account/tokens" className={ITEM} onClick={close}>
            <KeyRound aria-hidden className="h-4 w-4" /> API tokens
          </Link>
          {can('manage_users') && (
            <Link to="/admin/users" className={ITEM} onClick={close}>
              <ShieldCheck aria-hidden className="h-4 w-4" /> Admin: users
            </Link>
          )}
          <div className="my-1 border-t border-slate-800" />
          <button
            type="button"
            className={ITEM}
            disabled={signOut.isPending}
            onClick={() => {
              close();
              signOut.mutate();
            }}
          >
            <LogOut aria-hidden className="h-4 w-4" /> Sign out
          </button>
        </div>
      )}
    </div>
  );
}
