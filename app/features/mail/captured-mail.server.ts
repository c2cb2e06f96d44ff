import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { getEnv } from '../../env.server.js';

export type CapturedMailSummary = { id: string; receivedAt: string; to: string[]; subject: string; text: string };

/**
 * The newest messages the local capture server kept (scripts/mail-capture-server.ts), or
 * null when this site sends through a real relay and there is nothing captured to show.
 */
export function listCapturedMail(limit = 50): CapturedMailSummary[] | null {
  const dir = getEnv().MAIL_CAPTURE_DIR;
  if (!dir) return null;
  const index = path.join(dir, 'index.jsonl');
  if (!existsSync(index)) return [];
  return readFileSync(index, 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(-limit)
    .reverse()
    .map((line) => {
      const m = JSON.parse(line) as CapturedMailSummary;
      return { id: m.id, receivedAt: m.receivedAt, to: m.to, subject: m.subject, text: m.text };
    });
}
