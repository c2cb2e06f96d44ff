import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import type { CapturedMail } from '../../scripts/mail-capture-server.js';
import { waitFor } from './processes.js';

/** Every message the test SMTP server has received so far. */
export function allMail(dir = inject('mailDir')): CapturedMail[] {
  const index = path.join(dir, 'index.jsonl');
  if (!existsSync(index)) return [];
  return readFileSync(index, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CapturedMail);
}

export function mailTo(address: string, dir = inject('mailDir')): CapturedMail[] {
  return allMail(dir).filter((m) => m.to.includes(address.toLowerCase()));
}

/** Waits for the `count`-th message to `address` (1 = the first) and returns it. */
export async function waitForMail(address: string, options: { count?: number; subject?: RegExp; timeoutMs?: number } = {}): Promise<CapturedMail> {
  const dir = inject('mailDir');
  const matching = () => mailTo(address, dir).filter((m) => !options.subject || options.subject.test(m.subject));
  await waitFor(async () => matching().length >= (options.count ?? 1), options.timeoutMs ?? 20_000, `mail to ${address}`);
  return matching()[(options.count ?? 1) - 1]!;
}

/** The first link in the message whose path starts with `pathPrefix`. */
export function linkIn(mail: CapturedMail, pathPrefix: string): URL {
  const link = mail.links.map((l) => new URL(l)).find((u) => u.pathname.startsWith(pathPrefix));
  if (!link) throw new Error(`no ${pathPrefix} link in mail "${mail.subject}": ${mail.links.join(' ')}`);
  return link;
}
