import path from 'node:path';
import { givenServiceUrls, localEnv, ownerCredentials, projectRoot, type ServiceUrls } from '../tests/support/env.js';
import { run } from '../tests/support/processes.js';

/**
 * Where a benchmark writes. DATABASE_URL and REDIS_URL when both are set; otherwise the
 * project's own PostgreSQL and Redis (started when stopped) with a database and a Redis db
 * of the benchmarks' own: `edu_bench` and db 2, the BENCH_ URLs in .data/local.env. The
 * benches upload lectures into demo lessons, create classroom sessions and seed thousands
 * of courses; none of it belongs in `npm start`'s demo database or the test database
 * (a bench run against the test database once made a classroom test fail until it was
 * reset). Migrated and seeded with the demo accounts either way.
 */
export async function benchServices(): Promise<ServiceUrls> {
  const urls = givenServiceUrls() ?? (await projectBenchUrls());
  // Migrations as the tables' owner; the seed, like the site, as the application's role.
  const owner = ownerCredentials();
  for (const script of ['db/migrate.ts', 'db/seed/index.ts']) {
    const done = await run(path.join(projectRoot, 'node_modules/.bin/tsx'), [script], { ...urls, ...(script === 'db/migrate.ts' ? owner : {}), SEED_DEMO_USERS: '1' }, 600_000);
    if (done.code !== 0) throw new Error(`${script} failed:\n${done.output}`);
  }
  return urls;
}

/** The database's name, for the bench's first line (never the password). */
export const databaseName = (url: string) => new URL(url).pathname.slice(1);

async function projectBenchUrls(): Promise<ServiceUrls> {
  const started = await run('bash', [path.join(projectRoot, 'scripts/services.sh'), 'start'], {}, 180_000);
  if (started.code !== 0) throw new Error(`starting the project's PostgreSQL and Redis failed:\n${started.output}`);
  const local = localEnv();
  if (!local.BENCH_DATABASE_URL || !local.BENCH_REDIS_URL) throw new Error('.data/local.env has no BENCH_ URLs: set DATABASE_URL and REDIS_URL');
  return { DATABASE_URL: local.BENCH_DATABASE_URL, REDIS_URL: local.BENCH_REDIS_URL };
}

/**
 * Builds the site as `npm start` does. NODE_ENV=production explicitly: a shell left with
 * NODE_ENV=test (as `npm test` runs) would bundle React's development build, twice the
 * JavaScript, into the pages the benchmarks measure.
 */
export async function buildSite(): Promise<void> {
  const result = await run('npx', ['remix', 'vite:build', '--logLevel', 'warn'], { NODE_ENV: 'production' }, 600_000);
  if (result.code !== 0) throw new Error(`build failed:\n${result.output}`);
}
