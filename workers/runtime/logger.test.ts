import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { redactedPaths, redactUrl } from './logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, cb) => (lines.push(chunk.toString()), cb()) });
  const log = pino({ redact: { paths: redactedPaths, censor: '[redacted]' } }, stream);
  return { log, lines };
}

describe('structured logs keep secrets out', () => {
  it('redacts passwords, tokens and cookies wherever a careless call puts them', () => {
    const { log, lines } = capture();
    log.info({ password: 'hunter2-password', user: { password: 'nested-secret', email: 'a@b.cn' }, req: { headers: { cookie: 'edu_session=abc' } }, csrf: 'tok' }, 'login');
    const out = lines.join('');
    expect(out).not.toContain('hunter2-password');
    expect(out).not.toContain('nested-secret');
    expect(out).not.toContain('edu_session=abc');
    expect(out).not.toContain('"tok"');
    expect(out).toContain('[redacted]');
  });

  it('prints database URLs without their password', () => {
    expect(redactUrl('postgres://edu:s3cret@127.0.0.1:54329/edu')).toBe('postgres://edu:***@127.0.0.1:54329/edu');
    expect(redactUrl('redis://127.0.0.1:6379/0')).toBe('redis://127.0.0.1:6379/0');
  });
});
