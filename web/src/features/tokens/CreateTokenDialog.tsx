import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { SCOPES, type CreatedToken, type NewToken, type Scope } from '@/api/authTypes';
import { createToken } from '@/api/createToken';
import { errorMessage } from '@/api/errors';
import { queryKeys } from '@/api/queries';
import { Dialog, SecretReveal } from '@/components';
import { formatEpoch } from '@/lib/format';
import { SCOPE_INFO, tokenRequest, type TokenForm } from './tokens';

const INITIAL: TokenForm = { name: '', scopes: ['videos:read'], days: '90', neverExpires: false };

/**
 * Creating a token: name, scopes (`admin` only offered to those who manage users), expiry. The
 * answer's secret is shown here once, with a copy button; closing the dialog forgets it.
 */
export function CreateTokenDialog({
  open,
  onClose,
  allowAdminScope,
}: {
  open: boolean;
  onClose: () => void;
  allowAdminScope: boolean;
}) {
  const client = useQueryClient();
  const [form, setForm] = useState<TokenForm>(INITIAL);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const create = useMutation({
    mutationFn: (token: NewToken) => createToken(token),
    onSuccess: (token) => {
      setCreated(token);
      void client.invalidateQueries({ queryKey: queryKeys.tokens });
    },
  });

  const close = () => {
    // The secret is not kept anywhere once the dialog closes.
    setCreated(null);
    setForm(INITIAL);
    setInvalid(null);
    create.reset();
    onClose();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = tokenRequest(form);
    setInvalid(checked.ok ? null : checked.error);
    if (checked.ok) create.mutate(checked.request);
  };

  const toggleScope = (scope: Scope, on: boolean) =>
    setForm((f) => ({ ...f, scopes: on ? [...f.scopes, scope] : f.scopes.filter((s) => s !== scope) }));

  if (created) {
    return (
      <Dialog open={open} title="Token created" onClose={close} dismissOnBackdrop={false} className="max-w-lg">
        <p className="mb-4 text-sm text-slate-400">
          <span className="font-medium text-slate-200">{created.name}</span> · {created.scopes.join(', ')} ·{' '}
          {created.expires_at != null ? `expires ${formatEpoch(created.expires_at)}` : 'never expires'}
        </p>
        <SecretReveal
          label="Your new token"
          secret={created.token}
          warning="Copy it now: this is the only time Kinora shows it. Only a hash is kept, so a lost token cannot be recovered — revoke it and make another."
        />
        <p className="mt-4 text-xs text-slate-500">
          Use it as <code className="text-slate-300">Authorization: Bearer {created.hint}</code>
        </p>
        <div className="mt-6 flex justify-end">
          <button type="button" className="btn-primary" onClick={close}>
            I have copied it
          </button>
        </div>
      </Dialog>
    );
  }

  const scopes = SCOPES.filter((s) => s !== 'admin' || allowAdminScope);
  return (
    <Dialog
      open={open}
      title="New API token"
      description="A token acts as you, limited to the scopes you choose. Scripts send it as a Bearer header."
      onClose={close}
      dismissOnBackdrop={false}
    >
      <form onSubmit={submit} className="flex flex-col gap-4" aria-label="New API token">
        <div>
          <label htmlFor="token-name" className="label">
            Name
          </label>
          <input
            id="token-name"
            className="input"
            placeholder="e.g. nightly-upload-script"
            maxLength={100}
            value={form.name}
            onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
          />
        </div>
        <fieldset>
          <legend className="label">Scopes</legend>
          <div className="flex flex-col gap-2">
            {scopes.map((scope) => (
              <label key={scope} className="flex cursor-pointer items-start gap-2.5 text-sm">
                <input
                  type="checkbox"
                  className="mt-0.5 h-4 w-4 accent-brand-500"
                  checked={form.scopes.includes(scope)}
                  onChange={(e) => toggleScope(scope, e.target.checked)}
                />
                <span>
                  <span className="font-mono text-slate-100">{SCOPE_INFO[scope].label}</span>
                  <span className="block text-xs text-slate-400">{SCOPE_INFO[scope].description}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <label htmlFor="token-days" className="label">
            Expires after (days)
          </label>
          <div className="flex items-center gap-3">
            <input
              id="token-days"
              type="number"
              inputMode="numeric"
              min={1}
              max={365}
              className="input w-28"
              disabled={form.neverExpires}
              value={form.days}
              onChange={(e) => setForm((f) => ({ ...f, days: e.target.value }))}
            />
            <label className="flex cursor-pointer items-center gap-2 text-sm text-slate-300">
              <input
                type="checkbox"
                className="h-4 w-4 accent-brand-500"
                checked={form.neverExpires}
                onChange={(e) => setForm((f) => ({ ...f, neverExpires: e.target.checked }))}
              />
              Never expires
            </label>
          </div>
        </div>
        {(invalid || create.isError) && (
          <p role="alert" className="text-sm text-rose-300">
            {invalid ?? errorMessage(create.error)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" className="btn-secondary" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn-primary" disabled={create.isPending}>
            {create.isPending && <Loader2 aria-hidden className="h-4 w-4 animate-spin" />}
            Create token
          </button>
        </div>
      </form>
    </Dialog>
  );
}
