import { hash } from 'node:crypto';

// The hash chain behind the tamper-evident record; pure, so the verifier can run anywhere.

export const genesisHash = '0'.repeat(64);

/** RFC 8785-style canonical JSON: object keys sorted, no whitespace. Numbers must be integers. */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError('ledger payloads hold integers or decimal strings, never floats');
    return String(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  if (typeof value === 'object') {
    // Plain loops and quoted keys kept: this runs for every entry the verifier reads
    // (benchmark target 50,000/s), and payloads reuse a handful of key names.
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object).sort();
    let out = '{';
    for (const key of keys) {
      const v = object[key];
      if (v === undefined) continue;
      out += `${out.length > 1 ? ',' : ''}${quotedKey(key)}:${canonicalJson(v)}`;
    }
    return `${out}}`;
  }
  throw new TypeError(`cannot put a ${typeof value} in the ledger`);
}

const quotedKeys = new Map<string, string>();
/** JSON.stringify(key), remembered for the first 1,000 key names (payload keys are few). */
function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 1000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

export type ChainContent = { prevHash: string; kind: string; payload: unknown; occurredAt: string };
export type ChainEntry = ChainContent & { seq: number; hash: string };

/** sha256 of the entry's canonical JSON (one-shot `hash`: twice `createHash`'s speed here). */
export function entryHash(content: ChainContent): string {
  return hash('sha256', canonicalJson({ prevHash: content.prevHash, kind: content.kind, payload: content.payload, occurredAt: content.occurredAt }), 'hex');
}

export type ChainProblem =
  /** The entry's content no longer gives its hash. */
  | { kind: 'altered'; seq: number }
  /** An entry its successor does not vouch for (the successor links to the entry before it). */
  | { kind: 'inserted'; seq: number }
  /** The entry links to a hash no entry has: the one before it was removed. */
  | { kind: 'deleted'; beforeSeq: number | null; missingHash: string }
  /**
   * A signed checkpoint said the first `treeSize` entries ended in `expected`; today they end
   * in `found` (null: the chain is shorter). The history was rewritten, even if re-hashed.
   */
  | { kind: 'rewritten'; treeSize: number; expected: string; found: string | null };

export type ChainHead = { count: number; hash: string };
/** What a checkpoint vouches for: the chain's first `treeSize` entries end in `headHash`. */
export type ChainCheckpoint = { treeSize: number; headHash: string };

/**
 * Verifies entries fed in `seq` order, batch by batch; `finish` checks the end of the chain
 * against a published head (entries after it were inserted; a head never reached means the
 * tail was deleted). Checkpoints given up front are checked by position: the entry at each
 * checkpoint's size must have its head hash (consistency of the kept prefix with today's
 * chain). Reports only the first problem.
 */
export class ChainVerifier {
  private lastHash = genesisHash;
  private readonly hashes = new Map<string, number>([[genesisHash, 0]]);
  private order: number[] = [];
  private readonly checkpoints: Map<number, string[]>;
  count = 0;
  problem: ChainProblem | null = null;

  constructor(checkpoints: readonly ChainCheckpoint[] = []) {
    this.checkpoints = new Map();
    for (const c of checkpoints) this.checkpoints.set(c.treeSize, [...(this.checkpoints.get(c.treeSize) ?? []), c.headHash]);
    this.checkAt(0);
  }

  /** The chain has `size` entries now, ending in lastHash: does every checkpoint of that size agree? */
  private checkAt(size: number) {
    const expected = this.checkpoints.get(size)?.find((h) => h !== this.lastHash);
    if (expected !== undefined && !this.problem) this.problem = { kind: 'rewritten', treeSize: size, expected, found: this.lastHash };
  }

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
    if (this.checkpoints.size > 0) this.checkAt(this.count);
    return this.problem === null;
  }

  finish(head?: ChainHead): { ok: boolean; count: number; headHash: string; problem: ChainProblem | null } {
    if (!this.problem && head) {
      const at = this.hashes.get(head.hash);
      if (at === undefined) this.problem = { kind: 'deleted', beforeSeq: null, missingHash: head.hash };
      else if (at < this.order.length) this.problem = { kind: 'inserted', seq: this.order[at]! };
    }
    if (!this.problem) {
      // A checkpoint beyond today's end: entries it vouched for are gone.
      const beyond = [...this.checkpoints].filter(([size]) => size > this.count).sort(([a], [b]) => a - b)[0];
      if (beyond) this.problem = { kind: 'rewritten', treeSize: beyond[0], expected: beyond[1][0]!, found: null };
    }
    return { ok: this.problem === null, count: this.count, headHash: this.lastHash, problem: this.problem };
  }
}
