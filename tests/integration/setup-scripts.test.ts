import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ownerDatabaseUrl } from '../../db/owner-url.js';
import { projectRoot } from '../support/env.js';
import { freePort, run } from '../support/processes.js';

// A cluster and Redis of their own, in a throw-away data folder on spare ports, so
// stopping them cannot disturb the services the rest of the suite is using.
const dataDir = mkdtempSync(path.join(tmpdir(), 'edu-services-'));
chmodSync(dataDir, 0o755); // the postgres OS user must be able to enter it
const services = path.join(projectRoot, 'scripts/services.sh');
let env: Record<string, string> = {};

function occupyIfFree(port: number): Promise<Server | null> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(null));
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });
}

async function servicesCmd(cmd: string) {
  return run('bash', [services, cmd], env, 120_000);
}

afterAll(async () => {
  await servicesCmd('stop');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('scripts/services.sh', () => {
  it('starts PostgreSQL and Redis on free ports, then a second start changes nothing and loses nothing', async () => {
    // Make sure the default ports are busy (the suite's own services usually hold them already).
    const squatters = await Promise.all([54329, 63799].map(occupyIfFree));
    env = { EDU_DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' };
    const first = await servicesCmd('start');
    expect(first.code, first.output).toBe(0);
    const read = (f: string) => Object.fromEntries(readFileSync(path.join(dataDir, f), 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const ports = read('ports');
    expect(ports.PG_PORT).not.toBe('54329');
    expect(ports.REDIS_PORT).not.toBe('63799');
    const urls = read('local.env');
    expect(urls.DATABASE_URL).toContain(`127.0.0.1:${ports.PG_PORT}/edu`);
    for (const s of squatters) s?.close();
    const redisPort = ports.REDIS_PORT!;

    // Tables are the owner's to make (migrations run as it); the application's role only reads and writes rows.
    const owner = { user: urls.DATABASE_OWNER_USER, password: urls.DATABASE_OWNER_PASSWORD };
    expect(owner.user).toBe('edu_owner');
    const psql = (q: string) => run('psql', [ownerDatabaseUrl(urls.DATABASE_URL!, owner), '-qAt', '-c', q]);
    expect((await run('psql', [urls.DATABASE_URL!, '-qAt', '-c', 'create table by_app (v text)'])).output).toContain('permission denied');
    const redis = (...args: string[]) => run('redis-cli', ['-p', redisPort, ...args]);
    expect((await psql('create table marker (v text); insert into marker values (\'kept\')')).code).toBe(0);
    expect((await redis('set', 'marker', 'kept')).code).toBe(0);
    expect((await redis('config', 'get', 'maxmemory-policy')).output).toContain('noeviction');
    expect((await redis('config', 'get', 'appendonly')).output).toContain('yes');

    const second = await servicesCmd('start');
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain('PostgreSQL already running');
    expect(second.output).toContain('Redis already running');
    expect((await psql('select v from marker')).output.trim()).toBe('kept');

    // A stopped service is started again, with its data.
    expect((await servicesCmd('stop')).code).toBe(0);
    expect((await servicesCmd('status')).output).toMatch(/postgres: stopped[\s\S]*redis: stopped/);
    const third = await servicesCmd('start');
    expect(third.code, third.output).toBe(0);
    expect(third.output).toContain('starting PostgreSQL');
    expect((await psql('select v from marker')).output.trim()).toBe('kept');
    expect((await redis('get', 'marker')).output.trim()).toBe('kept'); // from the AOF

    // Each `npm test` starts from an empty test database and test Redis db; the app's own data stays.
    const testDb = (q: string) => run('psql', [ownerDatabaseUrl(urls.TEST_DATABASE_URL!, owner), '-qAt', '-c', q]);
    expect((await testDb('create table leftover (v text)')).code).toBe(0);
    expect((await run('redis-cli', ['-p', redisPort, '-n', '1', 'set', 'leftover', 'x'])).code).toBe(0);
    expect((await servicesCmd('reset-test')).code).toBe(0);
    expect((await testDb("select to_regclass('leftover') is null")).output.trim()).toBe('t');
    expect((await run('redis-cli', ['-p', redisPort, '-n', '1', 'exists', 'leftover'])).output.trim()).toBe('0');
    expect((await psql('select v from marker')).output.trim()).toBe('kept');
    expect((await redis('get', 'marker')).output.trim()).toBe('kept');
  });
});

describe('a missing or wrong setting stops start-up with one clear line', () => {
  const base = { SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent' };
  const tsx = path.join(projectRoot, 'node_modules/.bin/tsx');

  it('names an unreachable Redis and how to fix it (worker)', async () => {
    const r = await run(tsx, ['workers/index.ts'], { ...base, REDIS_URL: 'redis://127.0.0.1:1/0' }, 30_000);
    expect(r.code).toBe(69);
    expect(r.output).toMatch(/startup error: cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/0 \(REDIS_URL\): ECONNREFUSED\. Run `npm start`.*or fix REDIS_URL/);
  });

  it('names an unreachable PostgreSQL without printing its password (web)', async () => {
    const r = await run(tsx, ['app/server/main.ts'], { ...base, PORT: String(await freePort()), DATABASE_URL: 'postgres://edu:s3cret-pw@127.0.0.1:1/edu' }, 30_000);
    expect(r.code).toBe(69);
    expect(r.output).toMatch(/cannot reach PostgreSQL at postgres:\/\/edu:\*\*\*@127\.0\.0\.1:1\/edu \(DATABASE_URL\)/);
    expect(r.output).not.toContain('s3cret-pw');
  });

  it('names a missing or malformed variable', async () => {
    const missing = await run(tsx, ['app/server/main.ts'], { ...base, SESSION_SECRET: '', DATABASE_URL: 'mysql://x' }, 30_000);
    expect(missing.code).toBe(78);
    expect(missing.output).toContain('configuration error: DATABASE_URL must start with postgres:// or postgresql://');
    expect(missing.output).toContain('configuration error: SESSION_SECRET must be at least 32 characters');
  });

  it('install-system-deps names only packages Debian can install', async () => {
    const list = await run('bash', [path.join(projectRoot, 'scripts/install-system-deps.sh'), '--list']);
    const packages = list.output.trim().split(/\s+/);
    expect(packages).toEqual(expect.arrayContaining(['ffmpeg', 'poppler-utils', 'postgresql-15', 'redis-server', 'chromium']));
    // A simulated install resolves every name (a misspelt or retired package fails here).
    const simulated = await run('apt-get', ['install', '-s', '-y', ...packages]);
    expect(simulated.code, simulated.output).toBe(0);
  });

  it('install-system-deps explains what to install on a system without apt-get', async () => {
    // A PATH with only the few programs the script needs, and no ffmpeg, poppler or apt-get.
    const bin = mkdtempSync(path.join(tmpdir(), 'edu-path-'));
    for (const tool of ['id', 'dirname']) symlinkSync(`/usr/bin/${tool}`, path.join(bin, tool));
    mkdirSync(path.join(bin, 'empty'));
    const r = await run('/bin/bash', [path.join(projectRoot, 'scripts/install-system-deps.sh')], { PATH: bin, DATABASE_URL: 'postgres://given', REDIS_URL: 'redis://given' });
    rmSync(bin, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.output).toContain('missing system packages: ffmpeg poppler-utils. This system has no apt-get');
  });
});
