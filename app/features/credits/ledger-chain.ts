import { createHash } from 'node:crypto';

// The hash chain behind the tamper-evident record; pure, so the verifier can run anywhere.

export const genesisHash = '0'.repeat(64);

/** RFC 8785-style canonical JSON: object keys sorted, no whitespace. Numbers must be integers. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError('ledger payloads hold integers or decimal strings, never floats');
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    // A plain loop: this runs for every entry the verifier reads (benchmark target 50,000/s).
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object).sort();
    let out = '{';
    for (const key of keys) {
      const v = object[key];
      if (v === undefined) continue;
      out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(v)}`;
    }
    return `${out}}`;
  }
  throw new TypeError(`cannot put a ${typeof value} in the ledger`);
}

export type ChainContent = { prevHash: string; kind: string; payload: unknown; occurredAt: string };
export type ChainEntry = ChainContent & { seq: number; hash: string };

export function entryHash(content: ChainContent): string {
  return createHash('sha256')
    .update(canonicalJson({ prevHash: content.prevHash, kind: content.kind, payload: content.payload, occurredAt: content.occurredAt }))
    .digest('hex');
}

export type ChainProblem =
  /** The entry's content no longer gives its hash. */
  | { kind: 'altered'; seq: number }
  /** An entry its successor does not vouch for (the successor links to the entry before it). */
  | { kind: 'inserted'; seq: number }
  /** The entry links to a hash no entry has: the one before it was removed. */
  | { kind: 'deleted'; beforeSeq: number | null; missingHash: string };

export type ChainHead = { count: number; hash: string };

/**
 * Verifies entries fed in `seq` order, batch by batch; `finish` checks the end of the chain
 * against a published head (entries after it were inserted; a head never reached means the
 * tail was deleted). Reports only the first problem.
 */
export class ChainVerifier {
  private lastHash = genesisHash;
  private readonly hashes = new Map<string, number>([[genesisHash, 0]]);
  private order: number[] = [];
  count = 0;
  problem: ChainProblem | null = null;

  add(entry: ChainEntry): boolean {
    if (this.problem) return false;
    if (entryHash(entry) !== entry.hash) {
      this.problem = { kind: 'altered', seq: entry.seq };
      return false;
    }
    if (entry.prevHash !== this.lastHash) {
      const earlier = this.hashes.get(entry.prevHash);
      // Linked to an older entry: everything after that one up to here was slipped in.
      this.problem = earlier !== undefined ? { kind: 'inserted', seq: this.order[earlier] ?? entry.seq } : { kind: 'deleted', beforeSeq: entry.seq, missingHash: entry.prevHash };
      return false;
    }
    this.order.push(entry.seq);
    this.hashes.set(entry.hash, this.order.length);
    this.lastHash = entry.hash;
    this.count += 1;
    return true;
  }

  finish(head?: ChainHead): { ok: boolean; count: number; headHash: string; problem: ChainProblem | null } {
    if (!this.problem && head) {
      const at = this.hashes.get(head.hash);
      if (at === undefined) this.problem = { kind: 'deleted', beforeSeq: null, missingHash: head.hash };
      else if (at < this.order.length) this.problem = { kind: 'inserted', seq: this.order[at]! };
    }
    return { ok: this.problem === null, count: this.count, headHash: this.lastHash, problem: this.problem };
  }
}
