import { Form } from '@remix-run/react';
import { CsrfInput } from './CsrfInput.js';

/** A one-button form that posts an `intent` and a few hidden fields (revoke, cancel, …). */
export function IntentButton({ intent, fields, label, inline = false }: { intent: string; fields: Record<string, string>; label: string; inline?: boolean }) {
  return (
    <Form method="post" className={inline ? 'inline-form' : undefined}>
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className="link-button">
        {label}
      </button>
    </Form>
  );
}
