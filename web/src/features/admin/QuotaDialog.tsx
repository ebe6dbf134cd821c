import { useState, type FormEvent } from 'react';
import { Loader2 } from 'lucide-react';
import type { User, UserChange } from '@/api/authTypes';
import { Dialog } from '@/components';
import { formatBytes } from '@/lib/format';
import { QUOTA_UNITS, quotaBytes, quotaInput, type QuotaInput, type QuotaUnit } from './users';

function QuotaField({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: QuotaInput;
  onChange: (v: QuotaInput) => void;
}) {
  const parsed = quotaBytes(value);
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          inputMode="decimal"
          className="input"
          placeholder="No limit"
          value={value.value}
          onChange={(e) => onChange({ ...value, value: e.target.value })}
        />
        <select
          className="input w-24"
          aria-label={`${label} unit`}
          value={value.unit}
          onChange={(e) => onChange({ ...value, unit: e.target.value as QuotaUnit })}
        >
          {QUOTA_UNITS.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </div>
      <p className="mt-1 text-xs tabular-nums text-slate-500">
        {parsed.ok ? (parsed.bytes == null ? 'No limit' : `${parsed.bytes.toLocaleString('en-US')} bytes`) : ''}
      </p>
    </div>
  );
}

/** Editing a user's storage quota and daily upload quota; empty means no limit. */
export function QuotaDialog({
  user,
  busy,
  error,
  onSave,
  onClose,
}: {
  user: User | null;
  busy: boolean;
  error: string | null;
  onSave: (change: UserChange) => void;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={user !== null}
      title={`Quotas of ${user?.username ?? ''}`}
      onClose={onClose}
      dismissOnBackdrop={false}
    >
      {user && <QuotaForm key={user.user_id} user={user} busy={busy} error={error} onSave={onSave} onClose={onClose} />}
    </Dialog>
  );
}

function QuotaForm({
  user,
  busy,
  error,
  onSave,
  onClose,
}: {
  user: User;
  busy: boolean;
  error: string | null;
  onSave: (change: UserChange) => void;
  onClose: () => void;
}) {
  const [total, setTotal] = useState(() => quotaInput(user.quota_bytes));
  const [daily, setDaily] = useState(() => quotaInput(user.daily_quota_bytes));
  const [invalid, setInvalid] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = quotaBytes(total);
    const d = quotaBytes(daily);
    if (!t.ok || !d.ok) return setInvalid(!t.ok ? t.error : !d.ok ? d.error : null);
    setInvalid(null);
    onSave({ quota_bytes: t.bytes, daily_quota_bytes: d.bytes });
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Quotas">
      <p className="text-sm text-slate-400">Uses {formatBytes(user.used_bytes)} now.</p>
      <QuotaField id="quota-total" label="Storage quota" value={total} onChange={setTotal} />
      <QuotaField id="quota-daily" label="Daily upload quota" value={daily} onChange={setDaily} />
      {(invalid || error) && (
        <p role="alert" className="text-sm text-rose-300">
          {invalid ?? error}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <button type="button" className="btn-secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn-primary" disabled={busy}>
          {busy && <Loader2 aria-hidden className="h-4 w-4 animate-spin" />}
          Save quotas
        </button>
      </div>
    </form>
  );
}
