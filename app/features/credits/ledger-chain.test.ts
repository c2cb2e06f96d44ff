import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, ChainVerifier, entryHash, genesisHash, type ChainCheckpoint, type ChainEntry } from './ledger-chain.js';

function chain(n: number): ChainEntry[] {
  const out: ChainEntry[] = [];
  let prev = genesisHash;
  for (let i = 1; i <= n; i++) {
    const content = { prevHash: prev, kind: 'credit.decided', payload: { requestId: `r${i}`, credits: '3.0' }, occurredAt: `2026-01-0${i}T00:00:00.000Z` };
    const hash = entryHash(content);
    out.push({ ...content, seq: i, hash });
    prev = hash;
  }
  return out;
}

function verify(entries: ChainEntry[], head?: { count: number; hash: string }, checkpoints: ChainCheckpoint[] = []) {
  const v = new ChainVerifier(checkpoints);
  for (const e of entries) if (!v.add(e)) break;
  return v.finish(head);
}

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null }, e: undefined })).toBe('{"a":{"c":null,"d":[1,"x"]},"b":1}');
  });
  it('refuses floats', () => {
    expect(() => canonicalJson({ credits: 0.1 })).toThrow(/floats/);
  });
  it('gives the same hash whatever the key order', () => {
    const a = entryHash({ prevHash: genesisHash, kind: 'k', payload: { x: '1', y: '2' }, occurredAt: 't' });
    const b = entryHash({ occurredAt: 't', payload: { y: '2', x: '1' }, kind: 'k', prevHash: genesisHash });
    expect(a).toBe(b);
  });
  it('hashes exactly the canonical text with sha256, so entries written before stay valid', () => {
    const content = { prevHash: genesisHash, kind: 'credit.posted', payload: { requestId: 'r1', 'ü': true, credits: '3.0', list: [2, 'a"b', false] }, occurredAt: '2026-12-03T00:00:00.000Z' };
    const text = `{"kind":"credit.posted","occurredAt":"2026-12-03T00:00:00.000Z","payload":{"credits":"3.0","list":[2,"a\\"b",false],"requestId":"r1","ü":true},"prevHash":"${genesisHash}"}`;
    expect(canonicalJson(content)).toBe(text);
    expect(entryHash(content)).toBe(createHash('sha256').update(text).digest('hex'));
  });
});

describe('hash chain verification', () => {
  it('accepts an intact chain and its head', () => {
    const entries = chain(5);
    expect(verify(entries, { count: 5, hash: entries[4]!.hash })).toEqual({ ok: true, count: 5, headHash: entries[4]!.hash, problem: null });
  });

  it('names an altered entry', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, payload: { requestId: 'r3', credits: '9.0' } };
    expect(verify(entries).problem).toEqual({ kind: 'altered', seq: 3 });
  });

  it('names a deleted entry by its successor, seq gaps alone are fine', () => {
    const entries = chain(5);
    const gone = entries.splice(1, 1);
    expect(verify(entries).problem).toEqual({ kind: 'deleted', beforeSeq: 3, missingHash: gone[0]!.hash });
    const renumbered = chain(3).map((e, i) => ({ ...e, seq: (i + 1) * 10 }));
    expect(verify(renumbered).ok).toBe(true);
  });

  it('names an inserted entry, even one whose own hash is right', () => {
    const entries = chain(5);
    const forgedContent = { prevHash: entries[1]!.hash, kind: 'credit.decided', payload: { requestId: 'forged', credits: '9.0' }, occurredAt: '2026-01-02T12:00:00.000Z' };
    const forged = { ...forgedContent, seq: 99, hash: entryHash(forgedContent) };
    entries.splice(2, 0, forged);
    expect(verify(entries).problem).toEqual({ kind: 'inserted', seq: 99 });
  });

  it('checks the tail against the published head', () => {
    const entries = chain(5);
    const head = { count: 4, hash: entries[3]!.hash };
    expect(verify(entries, head).problem).toEqual({ kind: 'inserted', seq: 5 });
    expect(verify(entries.slice(0, 3), head).problem).toEqual({ kind: 'deleted', beforeSeq: null, missingHash: entries[3]!.hash });
  });
});

/** What an administrator with the database does to hide a change: every hash recomputed. */
function rehash(entries: ChainEntry[]): ChainEntry[] {
  let prev = genesisHash;
  return entries.map((e) => {
    const content = { prevHash: prev, kind: e.kind, payload: e.payload, occurredAt: e.occurredAt };
    prev = entryHash(content);
    return { ...content, seq: e.seq, hash: prev };
  });
}

describe('consistency with a kept checkpoint', () => {
  const entries = chain(6);
  const kept: ChainCheckpoint = { treeSize: 4, headHash: entries[3]!.hash };

  it('holds for the same chain and for the chain grown since', () => {
    expect(verify(entries.slice(0, 4), undefined, [kept]).ok).toBe(true);
    expect(verify(entries, undefined, [kept, { treeSize: 0, headHash: genesisHash }]).ok).toBe(true);
  });

  it('a re-hashed chain with an altered, a deleted or an inserted entry verifies alone but not against the checkpoint', () => {
    const altered = rehash(entries.map((e, i) => (i === 1 ? { ...e, payload: { requestId: 'r2', credits: '9.0' } } : e)));
    const deleted = rehash(entries.filter((_, i) => i !== 1));
    const inserted = rehash([...entries.slice(0, 2), { ...entries[0]!, seq: 99, payload: { requestId: 'forged' } }, ...entries.slice(2)]);
    for (const rewritten of [altered, deleted, inserted]) {
      expect(verify(rewritten).ok).toBe(true);
      expect(verify(rewritten, undefined, [kept]).problem).toEqual({ kind: 'rewritten', treeSize: 4, expected: kept.headHash, found: rewritten[3]!.hash });
    }
  });

  it('a chain cut short of the checkpoint is named, with nothing found at its size', () => {
    expect(verify(entries.slice(0, 3), undefined, [kept]).problem).toEqual({ kind: 'rewritten', treeSize: 4, expected: kept.headHash, found: null });
  });

  it('an altered entry without re-hashing is still named as altered first', () => {
    const altered = entries.map((e, i) => (i === 1 ? { ...e, payload: { requestId: 'r2', credits: '9.0' } } : e));
    expect(verify(altered, undefined, [kept]).problem).toEqual({ kind: 'altered', seq: 2 });
  });
});
