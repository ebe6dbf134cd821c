import { Building2, Globe2, Link2, Lock } from 'lucide-react';
import type { Visibility } from '@/api/authTypes';
import { cn } from '@/lib/cn';

export const VISIBILITY_INFO: Record<
  Visibility,
  { label: string; description: string; className: string; Icon: typeof Globe2 }
> = {
  public: {
    label: 'Public',
    description: 'Anyone can find and watch it.',
    className: 'bg-emerald-500/10 text-emerald-300 ring-emerald-500/30',
    Icon: Globe2,
  },
  unlisted: {
    label: 'Unlisted',
    description: 'Anyone with the link can watch it; it is not listed.',
    className: 'bg-sky-500/10 text-sky-300 ring-sky-500/30',
    Icon: Link2,
  },
  internal: {
    label: 'Internal',
    description: 'Any signed-in user can find and watch it.',
    className: 'bg-violet-500/10 text-violet-300 ring-violet-500/30',
    Icon: Building2,
  },
  private: {
    label: 'Private',
    description: 'Only you, moderators and admins can see it.',
    className: 'bg-slate-500/15 text-slate-300 ring-slate-500/40',
    Icon: Lock,
  },
};

export function VisibilityBadge({ visibility, className }: { visibility: Visibility; className?: string }) {
  const { label, description, className: tone, Icon } = VISIBILITY_INFO[visibility];
  return (
    <span
      className={cn(
        'inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset',
        tone,
        className,
      )}
      title={description}
    >
      <Icon aria-hidden className="h-3.5 w-3.5" />
      <span>
        <span className="sr-only">Visibility: </span>
        {label}
      </span>
    </span>
  );
}

/** A labelled select of the four visibilities, with what the chosen one means underneath. */
export function VisibilitySelect({
  id,
  value,
  onChange,
  disabled,
}: {
  id: string;
  value: Visibility;
  onChange: (v: Visibility) => void;
  disabled?: boolean;
}) {
  return (
    <div>
      <label htmlFor={id} className="label">
        Visibility
      </label>
      <select
        id={id}
        className="input"
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value as Visibility)}
        aria-describedby={`${id}-help`}
      >
        {(Object.keys(VISIBILITY_INFO) as Visibility[]).map((v) => (
          <option key={v} value={v}>
            {VISIBILITY_INFO[v].label}
          </option>
        ))}
      </select>
      <p id={`${id}-help`} className="mt-1 text-xs text-slate-500">
        {VISIBILITY_INFO[value].description}
      </p>
    </div>
  );
}
