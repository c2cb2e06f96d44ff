import { useFetcher } from '@remix-run/react';
import type { FormEvent, ReactNode } from 'react';
import { CsrfInput } from '../../components/CsrfInput.js';

/**
 * A command form: posts to the page's own action (a full page load without JavaScript;
 * a background request with it, the stream then carrying the change to everyone).
 */
export function CommandForm({ intent, fields = {}, children, className, onSubmit, label }: { intent: string; fields?: Record<string, string>; children: ReactNode; className?: string; onSubmit?: (e: FormEvent<HTMLFormElement>) => void; label?: string }) {
  const fetcher = useFetcher<{ ok: boolean; reason?: string }>();
  return (
    <fetcher.Form method="post" className={className ?? 'inline-form'} onSubmit={onSubmit} aria-label={label}>
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </fetcher.Form>
  );
}

export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
