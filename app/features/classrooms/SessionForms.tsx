import { useFetcher } from '@remix-run/react';
import type { FormEvent, ReactNode } from 'react';
import { CsrfInput } from '../../components/CsrfInput.js';
import { isMessageKey, useT } from '../i18n/i18n.js';

/**
 * A command form: posts to the page's own action (a full page load without JavaScript;
 * a background request with it, the stream then carrying the change to everyone).
 */
export function CommandForm({ intent, fields = {}, children, className, onSubmit, label }: { intent: string; fields?: Record<string, string>; children: ReactNode; className?: string; onSubmit?: (e: FormEvent<HTMLFormElement>) => void; label?: string }) {
  const fetcher = useFetcher<{ ok: boolean; reason?: string }>();
  const t = useT();
  const refused = fetcher.state === 'idle' && fetcher.data && !fetcher.data.ok ? fetcher.data.reason : undefined;
  return (
    <fetcher.Form method="post" className={className ?? 'inline-form'} onSubmit={onSubmit} aria-label={label}>
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      {refused ? (
        <span className="field-errors" role="alert">
          {t(isMessageKey(refused) ? refused : 'errors.formInvalid')}
        </span>
      ) : null}
    </fetcher.Form>
  );
}

export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
