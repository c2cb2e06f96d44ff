import type { LoaderFunctionArgs } from '@remix-run/node';
import { finishCas } from '../features/federation/cas.server.js';
import { flowIdFromCookie, takeFlow } from '../features/federation/flows.server.js';
import { enabledProviderFor } from '../features/federation/providers.server.js';
import { SsoRefusal } from '../features/federation/refusals.js';
import { refusedResponse, signedInResponse } from '../features/federation/responses.server.js';
import { SsoRefused } from '../features/federation/SsoRefused.js';

// The CAS server sends the browser back here with a ticket; it is validated once, with attributes.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const slug = params.slug ?? '';
  const found = await enabledProviderFor(slug);
  const where = { institutionId: found?.institution.id ?? null, slug, protocol: 'cas' as const, ip: context.clientIp };
  if (!found || found.provider.protocol !== 'cas') return refusedResponse(new SsoRefusal('not-configured'), where);
  const ticket = new URL(request.url).searchParams.get('ticket') ?? '';
  try {
    // The ticket is spent first, so a replayed one is refused whichever browser brings it.
    const identity = await finishCas(found.provider, slug, ticket);
    const flow = await takeFlow(await flowIdFromCookie(request));
    if (!flow || flow.institutionId !== found.institution.id || flow.protocol !== 'cas') throw new SsoRefusal('no-flow', 'no CAS sign-in started in this browser');
    return await signedInResponse(request, flow, identity, context.clientIp);
  } catch (error) {
    return refusedResponse(error, where);
  }
}

export default SsoRefused;
