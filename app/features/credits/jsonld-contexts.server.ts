import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The JSON-LD contexts we sign and verify with, vendored from npm packages into
 * vendor/jsonld-contexts (scripts/vendor-jsonld-contexts.ts) and checked against the
 * manifest's sha256 on load. A context outside this set is never fetched: a credential that
 * needs one is reported as using an unsupported context.
 */
let pinned: Map<string, unknown> | undefined;

export function pinnedContexts(): Map<string, unknown> {
  if (pinned) return pinned;
  const dir = path.resolve(process.cwd(), 'vendor/jsonld-contexts');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, { file: string; sha256: string }>;
  const loaded = new Map<string, unknown>();
  for (const [url, { file, sha256 }] of Object.entries(manifest)) {
    const body = readFileSync(path.join(dir, file));
    if (createHash('sha256').update(body).digest('hex') !== sha256) throw new Error(`vendored JSON-LD context ${file} does not match its manifest hash`);
    loaded.set(url, JSON.parse(body.toString('utf8')));
  }
  return (pinned = loaded);
}

export class UnsupportedContext extends Error {}

export type RemoteDocument = { contextUrl: null; documentUrl: string; document: unknown };
export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** A loader that answers pinned contexts and, through `resolveDid`, DIDs and DID URLs; nothing else. */
export function makeDocumentLoader(resolveDid: (didUrl: string) => Promise<Record<string, unknown> | null>): DocumentLoader {
  const contexts = pinnedContexts();
  return async (url: string) => {
    const context = contexts.get(url);
    if (context) return { contextUrl: null, documentUrl: url, document: context };
    if (url.startsWith('did:')) {
      const document = await resolveDid(url);
      if (document) return { contextUrl: null, documentUrl: url, document };
      throw new Error(`could not resolve ${url}`);
    }
    throw new UnsupportedContext(`${url} is not among the pinned JSON-LD contexts`);
  };
}
