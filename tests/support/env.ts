import { readFileSync } from 'node:fs';
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '../..');

/** The test database and Redis: from the environment (npm test sets them), else .data/local.env's TEST_ URLs. */
export function testServiceEnv(): { DATABASE_URL: string; REDIS_URL: string } {
  if (process.env.DATABASE_URL && process.env.REDIS_URL) return { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL };
  const local = Object.fromEntries(
    readFileSync(path.join(projectRoot, '.data/local.env'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { DATABASE_URL: local.TEST_DATABASE_URL!, REDIS_URL: local.TEST_REDIS_URL! };
}
