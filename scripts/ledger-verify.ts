import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createDatabase } from '../db/client.js';
import { connectDatabaseOrExit } from '../db/connect.js';
import { parseSignedCheckpoint, platformKeyFromSeed, type Ed25519Jwk, type SignedCheckpoint } from '../db/checkpoint-signature.js';
import type { ChainProblem } from '../app/features/credits/ledger-chain.js';
import { describeDisagreement } from '../app/features/credits/ledger-reconcile.js';
import { auditLedger } from '../app/features/credits/ledger.server.js';
import { parseEnvOrExit, serviceEnvSchema } from '../workers/runtime/env.js';

// npm run ledger:verify [-- [head hash] [--checkpoint <file or URL>]... [--key <x>]...]
// Checks the chain, its consistency with every signed checkpoint (kept ones given here and
// those stored in the database), and that posted credits and credential statuses in their
// own tables agree with it. Exit 0 when all holds, 1 at the first problem, 2 for bad usage.
const usage = 'usage: npm run ledger:verify -- [head hash: 64 hex characters] [--checkpoint <file or URL>]... [--key <public key x, from /ledger/keys.json>]...';
const env = parseEnvOrExit(serviceEnvSchema.pick({ DATABASE_URL: true, LEDGER_SIGNING_KEY: true, LEDGER_PREVIOUS_PUBLIC_KEYS: true }));
let args: ReturnType<typeof parseCommandLine>;
function parseCommandLine() {
  return parseArgs({ allowPositionals: true, options: { checkpoint: { type: 'string', multiple: true }, key: { type: 'string', multiple: true } } });
}
try {
  args = parseCommandLine();
} catch (error) {
  stop(2, `${(error as Error).message}\n${usage}`);
}
const headHash = args.positionals[0];
if (args.positionals.length > 1 || (headHash !== undefined && !/^[0-9a-f]{64}$/.test(headHash))) stop(2, usage);

function stop(code: number, message: string): never {
  console.error(message);
  process.exit(code);
}

const trusted: Ed25519Jwk[] = [
  ...(env.LEDGER_SIGNING_KEY ? [platformKeyFromSeed(env.LEDGER_SIGNING_KEY).publicJwk] : []),
  ...[...(env.LEDGER_PREVIOUS_PUBLIC_KEYS?.split(',') ?? []), ...(args.values.key ?? [])].map((x): Ed25519Jwk => ({ kty: 'OKP', crv: 'Ed25519', x })),
];

/** A kept checkpoint (or a saved /ledger/checkpoints listing) from a file or a URL. */
async function loadKept(source: string): Promise<SignedCheckpoint[]> {
  let json: unknown;
  try {
    json = /^https?:\/\//.test(source) ? await (await fetch(source, { signal: AbortSignal.timeout(15_000) })).json() : JSON.parse(await readFile(source, 'utf8'));
  } catch (error) {
    stop(2, `cannot read the checkpoint ${source}: ${(error as Error).message}`);
  }
  const listing = z.object({ checkpoints: z.array(z.unknown()) }).safeParse(json);
  return (listing.success ? listing.data.checkpoints : [json]).map((item) => {
    const parsed = parseSignedCheckpoint(item);
    if (!parsed.ok) stop(2, `${source} is not a ledger checkpoint: ${parsed.problem}`);
    return parsed.checkpoint;
  });
}

const kept = (await Promise.all((args.values.checkpoint ?? []).map(loadKept))).flat();
if (kept.length > 0 && trusted.length === 0) stop(2, 'no key to check the checkpoint signatures with: give --key <x> (from /ledger/keys.json) or set LEDGER_SIGNING_KEY');

const { db, sql } = createDatabase(env.DATABASE_URL, { max: 2 });
await connectDatabaseOrExit(sql, env.DATABASE_URL);
const started = performance.now();
const { report, invalidCheckpoint: forged, disagreement, checkpoints } = await auditLedger(db, { head: headHash ? { count: 0, hash: headHash } : undefined, kept, trusted });
const seconds = (performance.now() - started) / 1000;
await sql.end();

function problemLine(p: ChainProblem): string {
  if (p.kind === 'rewritten') {
    const signed = checkpoints.find((c) => c.treeSize === p.treeSize && c.headHash === p.expected)?.signedAt ?? 'earlier';
    return p.found === null
      ? `ledger broken: history rewritten: the checkpoint signed ${signed} covers ${p.treeSize} entries, the chain now has fewer`
      : `ledger broken: history rewritten: the checkpoint signed ${signed} says entry ${p.treeSize} has hash ${p.expected}, it now has ${p.found}`;
  }
  if (p.kind === 'deleted') {
    return p.beforeSeq === null ? `ledger broken: entries deleted at the end (published head ${p.missingHash} not found)` : `ledger broken: an entry before seq ${p.beforeSeq} was deleted (missing hash ${p.missingHash})`;
  }
  return `ledger broken: entry seq ${p.seq} was ${p.kind}`;
}

const line = forged
  ? `ledger checkpoint invalid: the ${forged.where} checkpoint of ${forged.checkpoint.treeSize} entries signed ${forged.checkpoint.signedAt} does not verify with the platform's keys`
  : report!.problem
    ? problemLine(report!.problem)
    : disagreement
      ? `ledger disagrees with the tables: ${describeDisagreement(disagreement)}`
      : `ledger intact: ${report!.count} entries, head ${report!.headHash}${checkpoints.length ? `, consistent with ${checkpoints.length} signed checkpoint${checkpoints.length > 1 ? 's' : ''}` : ''}; tables agree`;
console.log(line);
const ok = !forged && report!.ok && !disagreement;
console.log(
  JSON.stringify({
    ok,
    entries: report?.count ?? null,
    problem: forged ? { kind: 'checkpoint-invalid', where: forged.where, treeSize: forged.checkpoint.treeSize, signedAt: forged.checkpoint.signedAt } : (report?.problem ?? null),
    disagreement,
    checkpoints: checkpoints.length,
    headHash: report?.headHash ?? null,
    seconds: Number(seconds.toFixed(3)),
  }),
);
process.exit(ok ? 0 : 1);
