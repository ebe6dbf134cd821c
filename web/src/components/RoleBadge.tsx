import type { Role } from '@/api/authTypes';
import { cn } from '@/lib/cn';

const TONES: Record<Role, string> = {
  user: 'bg-slate-500/15 text-slate-300 ring-slate-500/40',
  moderator: 'bg-amber-500/10 text-amber-300 ring-amber-500/30',
  admin: 'bg-brand-500/15 text-brand-300 ring-brand-500/40',
};

export const ROLE_LABELS: Record<Role, string> = { user: 'User', moderator: 'Moderator', admin: 'Admin' };

export function RoleBadge({ role, className }: { role: Role; className?: string }) {
  return (
    <span
      className={cn(
        'inline-flex items-center rounded-full px-2 py-0.5 text-[11px] font-medium ring-1 ring-inset',
        TONES[role] ?? TONES.user,
        className,
      )}
    >
      {ROLE_LABELS[role] ?? role}
    </span>
  );
}
