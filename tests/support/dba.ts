import type postgres from 'postgres';
import pg from 'postgres';
import { ownerDatabaseUrl } from '../../db/owner-url.js';
import { ownerCredentials, testServiceEnv } from './env.js';

// A database administrator: the role that owns the tables (it may switch their triggers off),
// not the application's. Tests that tamper with the ledger play this part.

let sql: postgres.Sql | undefined;

export function ownerSql(): postgres.Sql {
  const owner = ownerCredentials();
  sql ??= pg(ownerDatabaseUrl(testServiceEnv().DATABASE_URL, { user: owner.DATABASE_OWNER_USER, password: owner.DATABASE_OWNER_PASSWORD }), { max: 1, onnotice: () => {} });
  return sql;
}

export async function closeOwnerSql() {
  await sql?.end({ timeout: 2 });
  sql = undefined;
}

/** Runs `change` with the ledger's append-only triggers off, switched back on in the same transaction. */
export async function tamperWithLedger(change: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<void> {
  await ownerSql().begin(async (tx) => {
    await tx`alter table ledger_entries disable trigger user`;
    await tx`alter table ledger_checkpoints disable trigger user`;
    await change(tx);
    await tx`alter table ledger_entries enable trigger user`;
    await tx`alter table ledger_checkpoints enable trigger user`;
  });
}
