import { createDatabase } from '../db/client.js';
import { connectDatabaseOrExit } from '../db/connect.js';
import { verifyLedger } from '../app/features/credits/ledger.server.js';
import { parseEnvOrExit, serviceEnvSchema } from '../workers/runtime/env.js';

// npm run ledger:verify [-- <published head hash>]: exit 0 when the chain is intact, 1 when not.
const env = parseEnvOrExit(serviceEnvSchema.pick({ DATABASE_URL: true }));
const headHash = process.argv[2];
if (headHash !== undefined && !/^[0-9a-f]{64}$/.test(headHash)) {
  console.error('usage: npm run ledger:verify -- [head hash: 64 hex characters]');
  process.exit(2);
}
const { db, sql } = createDatabase(env.DATABASE_URL, { max: 1 });
await connectDatabaseOrExit(sql, env.DATABASE_URL);
const started = performance.now();
const report = await verifyLedger(db, headHash ? { count: 0, hash: headHash } : undefined);
const seconds = (performance.now() - started) / 1000;
await sql.end();
const p = report.problem;
const line = !p
  ? `ledger intact: ${report.count} entries, head ${report.headHash}`
  : p.kind === 'deleted'
    ? p.beforeSeq === null
      ? `ledger broken: entries deleted at the end (published head ${p.missingHash} not found)`
      : `ledger broken: an entry before seq ${p.beforeSeq} was deleted (missing hash ${p.missingHash})`
    : `ledger broken: entry seq ${p.seq} was ${p.kind}`;
console.log(line);
console.log(JSON.stringify({ ok: report.ok, entries: report.count, problem: p, headHash: report.headHash, seconds: Number(seconds.toFixed(3)) }));
process.exit(report.ok ? 0 : 1);
