import { readFileSync } from 'node:fs';
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '../..');

export type ServiceUrls = { DATABASE_URL: string; REDIS_URL: string };

/** DATABASE_URL and REDIS_URL from the environment, when both are set. */
export function givenServiceUrls(): ServiceUrls | null {
  const { DATABASE_URL, REDIS_URL } = process.env;
  return DATABASE_URL && REDIS_URL ? { DATABASE_URL, REDIS_URL } : null;
}

/** What scripts/services.sh wrote into .data/local.env (URLs, SESSION_SECRET), as a record. */
export function localEnv(): Record<string, string> {
  return Object.fromEntries(
    readFileSync(path.join(projectRoot, '.data/local.env'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** The test database and Redis: from the environment (npm test sets them), else .data/local.env's TEST_ URLs. */
export function testServiceEnv(): ServiceUrls {
  const given = givenServiceUrls();
  if (given) return given;
  const local = localEnv();
  return { DATABASE_URL: local.TEST_DATABASE_URL!, REDIS_URL: local.TEST_REDIS_URL! };
}

/**
 * The role that owns the tables (DATABASE_OWNER_USER/PASSWORD): migrations run as it, and
 * tests that play a database administrator use it. From the environment, else .data/local.env;
 * empty when neither names one (one role for everything).
 */
export function ownerCredentials(): { DATABASE_OWNER_USER?: string; DATABASE_OWNER_PASSWORD?: string } {
  if (process.env.DATABASE_OWNER_USER) return { DATABASE_OWNER_USER: process.env.DATABASE_OWNER_USER, DATABASE_OWNER_PASSWORD: process.env.DATABASE_OWNER_PASSWORD };
  if (givenServiceUrls()) return {};
  const local = localEnv();
  return local.DATABASE_OWNER_USER ? { DATABASE_OWNER_USER: local.DATABASE_OWNER_USER, DATABASE_OWNER_PASSWORD: local.DATABASE_OWNER_PASSWORD } : {};
}
