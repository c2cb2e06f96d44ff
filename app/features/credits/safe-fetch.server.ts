import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';

/**
 * Fetches one JSON document named by a credential someone pasted (an issuer's DID document, a
 * status list), so the URL is chosen by a stranger. Bounded: http(s) only, https unless private
 * hosts are allowed, no redirects, a 5 s deadline, a 256 KB cap, and no private, loopback or
 * link-local address (checked on the address actually connected to, so DNS rebinding cannot
 * slip past). Private hosts are allowed only in development and tests, where issuers are local.
 */
export type FetchLimits = { allowPrivateHosts: boolean; timeoutMs?: number; maxBytes?: number };

const blocked = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) blocked.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  return family === 0 || blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function guardedLookup(hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback) {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const allowed = addresses.filter((a) => !isPrivateAddress(a.address));
    if (allowed.length === 0) return callback(Object.assign(new Error(`${hostname} resolves only to private addresses`), { code: 'EPRIVATE' }), '');
    if (options.all) return callback(null, allowed);
    callback(null, allowed[0]!.address, allowed[0]!.family);
  });
}

export class FetchRefused extends Error {}

export async function fetchJsonDocument(rawUrl: string, limits: FetchLimits): Promise<{ body: string; contentType: string }> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new FetchRefused('not a URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && limits.allowPrivateHosts)) throw new FetchRefused(`only https URLs are fetched (${url.protocol})`);
  if (url.username || url.password) throw new FetchRefused('URLs with credentials are not fetched');
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (!limits.allowPrivateHosts && isIP(literal) && isPrivateAddress(literal)) throw new FetchRefused('private addresses are not fetched');
  const maxBytes = limits.maxBytes ?? 256 * 1024;
  const timeoutMs = limits.timeoutMs ?? 5000;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(
      url,
      {
        headers: { Accept: 'application/did+json, application/vc+ld+json, application/ld+json, application/json;q=0.9, application/vc+jwt;q=0.8' },
        timeout: timeoutMs,
        ...(limits.allowPrivateHosts ? {} : { lookup: guardedLookup as never }),
      },
      (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          res.resume();
          return reject(new FetchRefused(`${url.host} answered ${res.statusCode}`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy();
            reject(new FetchRefused(`the document is larger than ${maxBytes} bytes`));
          } else chunks.push(chunk);
        });
        res.on('end', () => resolve({ body: Buffer.concat(chunks).toString('utf8'), contentType: String(res.headers['content-type'] ?? '') }));
        res.on('error', reject);
      },
    );
    const deadline = setTimeout(() => req.destroy(new FetchRefused(`${url.host} did not answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new FetchRefused(`${url.host} did not answer within ${timeoutMs} ms`)));
    req.on('error', (e) => reject(e instanceof FetchRefused ? e : new FetchRefused(`could not fetch ${url.host}: ${e.message}`)));
  });
}
