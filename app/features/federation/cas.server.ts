import { XMLParser } from 'fast-xml-parser';
import type { IdentityProvider } from '../../../db/schema/index.js';
import { roleFromAffiliations } from './affiliation.js';
import { serviceEndpoints } from './endpoints.server.js';
import { markUsedOnce } from './flows.server.js';
import { SsoRefusal } from './refusals.js';
import type { VerifiedIdentity } from './sign-in.server.js';

const TICKET_MEMORY_SECONDS = 24 * 3600;

const casBase = (provider: IdentityProvider): string => {
  if (!provider.casBaseUrl) throw new SsoRefusal('not-configured', 'no CAS base URL');
  return provider.casBaseUrl.replace(/\/$/, '');
};

/** The CAS login URL with this institution's service URL. */
export function startCas(provider: IdentityProvider, slug: string): string {
  return `${casBase(provider)}/login?service=${encodeURIComponent(serviceEndpoints(slug).casServiceUrl)}`;
}

const parser = new XMLParser({ removeNSPrefix: true, processEntities: true, parseTagValue: false, isArray: (name) => ['eduPersonScopedAffiliation'].includes(name) });
type Node = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
const strs = (v: unknown): string[] => [v].flat().map(str).filter((s): s is string => s !== null);

/** The CAS 3.0 answer (`/p3/serviceValidate`), parsed: the user and their released attributes. */
export function parseServiceResponse(xml: string): { user: string; attributes: Node } {
  const doc = parser.parse(xml) as Node;
  const response = (doc.serviceResponse ?? {}) as Node;
  const success = response.authenticationSuccess as Node | undefined;
  if (!success) {
    const failure = response.authenticationFailure;
    throw new SsoRefusal('ticket-invalid', typeof failure === 'string' ? failure : JSON.stringify(failure ?? 'no authenticationSuccess').slice(0, 300));
  }
  const user = str(success.user);
  if (!user) throw new SsoRefusal('no-subject', 'no cas:user');
  return { user, attributes: (success.attributes ?? {}) as Node };
}

/** Validates a ticket once: refused here if seen before, then by the CAS server (which also spends it). */
export async function finishCas(provider: IdentityProvider, slug: string, ticket: string): Promise<VerifiedIdentity> {
  if (!/^[\w.-]{1,256}$/.test(ticket)) throw new SsoRefusal('ticket-invalid', 'malformed ticket');
  if (!(await markUsedOnce('cas-ticket', ticket, provider.institutionId, TICKET_MEMORY_SECONDS))) throw new SsoRefusal('replayed', 'ticket already used');
  const url = `${casBase(provider)}/p3/serviceValidate?service=${encodeURIComponent(serviceEndpoints(slug).casServiceUrl)}&ticket=${encodeURIComponent(ticket)}`;
  let xml: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    xml = await res.text();
  } catch (error) {
    throw new SsoRefusal('idp-unreachable', error instanceof Error ? error.message : String(error));
  }
  const { user, attributes } = parseServiceResponse(xml);
  const eppn = strs(attributes.eduPersonPrincipalName)[0] ?? null;
  const verdict = roleFromAffiliations(strs(attributes.eduPersonScopedAffiliation), eppn ? [eppn] : [], { scopes: provider.scopes, staffRole: provider.staffRole });
  if (verdict.kind === 'foreign-scope') throw new SsoRefusal('foreign-scope', verdict.scope);
  return {
    institutionId: provider.institutionId,
    protocol: 'cas',
    subject: eppn ?? user,
    email: strs(attributes.mail)[0]?.toLowerCase() ?? null,
    displayName: strs(attributes.displayName)[0]?.slice(0, 100) ?? null,
    role: verdict.role,
  };
}
