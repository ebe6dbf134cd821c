import type { ReactNode } from 'react';

/** The narrow centred card of the sign-in, sign-up and forced password pages. */
export function AuthCard({ title, icon, children }: { title: string; icon: ReactNode; children: ReactNode }) {
  return (
    <div className="mx-auto max-w-sm py-6 sm:py-12">
      <div className="card p-6 sm:p-8">
        <div className="mb-6 flex items-center gap-3">
          <span className="flex h-9 w-9 items-center justify-center rounded-lg bg-brand-600/20 text-brand-300">
            {icon}
          </span>
          <h1 className="text-xl font-semibold tracking-tight text-white">{title}</h1>
        </div>
        {children}
      </div>
    </div>
  );
}
