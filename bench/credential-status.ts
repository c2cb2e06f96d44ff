/**
 * npm run bench:credential-status: how many status-list requests a web process answers per
 * second from its memory, against /healthz and a static file measured the same way in the same run (the
 * floor set by HTTP, Express and this machine), and how many times the list was signed
 * meanwhile (the target: none). One institution gets a key and a list the way issuance
 * gives them; then the real built server (NODE_ENV=production) is loaded with keep-alive
 * connections from this process. Needs a build (npm run build). Human lines first, JSON last.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { benchServices, databaseName } from './bench-services.js';

if (!existsSync('build/server/index.js')) throw new Error('no build: run `npm run build` first');
const { DATABASE_URL, REDIS_URL } = await benchServices();
const port = 20000 + Math.floor(Math.random() * 20000);
const env = { DATABASE_URL, REDIS_URL, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, NODE_ENV: 'production' as const, SECURE_COOKIES: '0', LOG_LEVEL: 'warn', SESSION_SECRET: randomBytes(32).toString('hex') };
Object.assign(process.env, env);
const { getServices } = await import('../app/services.server.js');
const { signingKeyForIssuance } = await import('../app/features/credits/signing-keys.server.js');
const { rebuildStatusList } = await import('../app/features/credits/status-lists.server.js');
const { sql: appSql, db } = getServices();

const slug = `csbench-${randomBytes(3).toString('hex')}`;
const [inst] = await appSql<{ id: string }[]>`insert into institutions (slug, name_zh, name_en, kind, region_id) select ${slug}, '状态列表基准大学', 'Status List Bench University', 'university', region_id from institutions limit 1 returning id`;
await db.transaction(async (tx) => {
  await signingKeyForIssuance(tx, inst!.id);
  await rebuildStatusList(tx, inst!.id);
});
const listRow = async () => (await appSql<{ version: number; built_at: Date }[]>`select version, built_at from credential_status_lists where institution_id = ${inst!.id}`)[0]!;
const before = await listRow();

const server = spawn(path.resolve('node_modules/.bin/tsx'), ['app/server/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
const base = `http://127.0.0.1:${port}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const get = (p: string) =>
  new Promise<number>((resolve, reject) => {
    const req = http.get(`${base}${p}`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });

/** Requests per second over `seconds`, with `concurrency` requests always in flight. */
async function throughput(p: string, seconds: number, concurrency = 32, accept = [200]): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const status = await get(p);
        if (!accept.includes(status)) throw new Error(`${p} answered ${status}`);
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

const loadAtStart = loadavg()[0]!.toFixed(1);
console.log(`bench:credential-status on ${cpus().length} cores, load average ${loadAtStart}; database ${databaseName(DATABASE_URL)}`);
let result: { healthz: number; staticFile: number; statusList: number };
try {
  for (let i = 0; ; i++) {
    // Any answer means it listens (/healthz says 503 without a worker, which this bench does not start).
    if (await get('/healthz').then(() => true, () => false)) break;
    if (i > 360) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 500));
  }
  // Baselines: /healthz (asks PostgreSQL and Redis each time; 503 without a worker is still an
  // answer) and a static file (Express alone, the floor of this server on this machine).
  await throughput('/healthz', 1, 32, [200, 503]);
  await throughput(`/credentials/status/${slug}`, 1); // warm: first request loads the list into memory
  const healthz = await throughput('/healthz', 5, 32, [200, 503]);
  const staticFile = await throughput('/favicon.svg', 5);
  const statusList = await throughput(`/credentials/status/${slug}`, 5);
  result = { healthz, staticFile, statusList };
} finally {
  server.kill('SIGTERM');
}
const after = await listRow();
const signings = after.version - before.version;
console.log(`  baselines, same server and client: /healthz ${Math.round(result.healthz)} requests/s, /favicon.svg (static) ${Math.round(result.staticFile)} requests/s`);
console.log(`  status list from memory: ${Math.round(result.statusList)} requests/s = ${((result.statusList / result.healthz) * 100).toFixed(0)}% of /healthz, ${((result.statusList / result.staticFile) * 100).toFixed(0)}% of the static file; signed ${signings} times while serving`);
await appSql`delete from credential_status_lists where institution_id = ${inst!.id}`;
await appSql`delete from institution_signing_keys where institution_id = ${inst!.id}`;
await appSql`delete from institutions where id = ${inst!.id}`;
await appSql.end();
getServices().redis.disconnect();
const targets = { statusListRequestsPerSecond: 2000, signingsWhileServing: 0 };
console.log(
  JSON.stringify({
    bench: 'credential-status',
    machine: { cores: cpus().length, loadAverageAtStart: Number(loadAtStart), loadAverageAtEnd: Number(loadavg()[0]!.toFixed(1)) },
    healthzRequestsPerSecond: Math.round(result.healthz),
    staticFileRequestsPerSecond: Math.round(result.staticFile),
    statusListRequestsPerSecond: Math.round(result.statusList),
    ratioToHealthz: Number((result.statusList / result.healthz).toFixed(2)),
    ratioToStaticFile: Number((result.statusList / result.staticFile).toFixed(2)),
    signingsWhileServing: signings,
    targets,
    met: { statusList: result.statusList >= targets.statusListRequestsPerSecond, noSigning: signings === targets.signingsWhileServing },
  }),
);
