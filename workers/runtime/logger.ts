import pino from 'pino';

// Structured JSON logs. Anything that may carry a secret is redacted by path, so a
// careless `log.info({ req })` or `log.info({ password })` cannot leak it.
export const redactedPaths = [
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'token',
  '*.token',
  'csrf',
  '*.csrf',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'DATABASE_URL',
  'REDIS_URL',
  'SESSION_SECRET',
  'S3_SECRET_ACCESS_KEY',
  '*.S3_SECRET_ACCESS_KEY',
  'secretAccessKey',
  '*.secretAccessKey',
];

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info') {
  return pino({ name, level, redact: { paths: redactedPaths, censor: '[redacted]' } });
}

export type Logger = pino.Logger;

/** A URL safe to print: the password is replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
