import { useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { BarChart3, Clapperboard, LibraryBig, Menu, UploadCloud, X } from 'lucide-react';
import { cn } from '@/lib/cn';
import { AccountMenu } from '@/features/auth/AccountMenu';
import { PasswordChangeGate } from '@/features/auth/PasswordChangeGate';
import { useActiveUploads } from '@/features/upload/useUploadQueue';

const NAV = [
  { to: '/', label: 'Library', Icon: LibraryBig, end: true },
  { to: '/upload', label: 'Upload', Icon: UploadCloud, end: false },
  { to: '/analytics', label: 'Analytics', Icon: BarChart3, end: false },
];

function NavItems({ onNavigate }: { onNavigate?: () => void }) {
  const uploading = useActiveUploads();
  return (
    <>
      {NAV.map(({ to, label, Icon, end }) => (
        <NavLink
          key={to}
          to={to}
          end={end}
          onClick={onNavigate}
          className={({ isActive }) =>
            cn(
              'flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition-colors',
              isActive ? 'bg-brand-600/15 text-brand-300' : 'text-slate-400 hover:bg-slate-800/70 hover:text-white',
            )
          }
        >
          <Icon aria-hidden className="h-4 w-4" />
          {label}
          {to === '/upload' && uploading > 0 && (
            <span
              className="ml-auto rounded-full bg-brand-600 px-2 py-0.5 text-xs tabular-nums text-white"
              aria-label={`${uploading} uploading`}
            >
              {uploading}
            </span>
          )}
        </NavLink>
      ))}
    </>
  );
}

function Brand() {
  return (
    <NavLink to="/" className="flex items-center gap-2 px-2 text-lg font-semibold tracking-tight text-white">
      <span className="flex h-8 w-8 items-center justify-center rounded-lg bg-brand-600">
        <Clapperboard aria-hidden className="h-4 w-4" />
      </span>
      Kinora
    </NavLink>
  );
}

export function Layout() {
  // The mobile menu remembers the page it was opened on, so going to any other page closes it.
  const { pathname } = useLocation();
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const setOpen = (next: boolean) => setOpenOn(next ? pathname : null);

  return (
    <div className="min-h-screen lg:pl-60">
      <a href="#main" className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 btn-primary">
        Skip to content
      </a>
      {/* Desktop sidebar */}
      <aside className="fixed inset-y-0 left-0 hidden w-60 flex-col gap-6 border-r border-slate-800 bg-slate-950/95 px-3 py-5 lg:flex">
        <Brand />
        <nav aria-label="Main" className="flex flex-col gap-1">
          <NavItems />
        </nav>
        <p className="mt-auto px-2 text-xs text-slate-600">Self-hosted video platform</p>
      </aside>
      {/* Top bar: the brand and menu button on small screens, the account menu on every size. */}
      <header className="sticky top-0 z-40 flex items-center justify-between gap-3 border-b border-slate-800 bg-slate-950/90 px-4 py-3 backdrop-blur lg:justify-end lg:px-8 lg:py-2.5">
        <div className="lg:hidden">
          <Brand />
        </div>
        <div className="flex items-center gap-2">
          <AccountMenu />
          <button
            type="button"
            className="btn-ghost p-2 lg:hidden"
            aria-label={open ? 'Close menu' : 'Open menu'}
            aria-expanded={open}
            aria-controls="mobile-nav"
            onClick={() => setOpen(!open)}
          >
            {open ? <X className="h-5 w-5" /> : <Menu className="h-5 w-5" />}
          </button>
        </div>
      </header>
      {open && (
        <nav
          id="mobile-nav"
          aria-label="Main"
          className="flex flex-col gap-1 border-b border-slate-800 bg-slate-950 px-3 py-3 lg:hidden"
        >
          <NavItems onNavigate={() => setOpen(false)} />
        </nav>
      )}
      <main id="main" className="mx-auto max-w-7xl px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
        <PasswordChangeGate>
          <Outlet />
        </PasswordChangeGate>
      </main>
    </div>
  );
}
