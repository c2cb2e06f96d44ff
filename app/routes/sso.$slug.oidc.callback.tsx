import type { LoaderFunctionArgs } from '@remix-run/node';
import { publicBaseUrl } from '../env.server.js';
import { flowIdFromCookie, takeFlow } from '../features/federation/flows.server.js';
import { finishOidc } from '../features/federation/oidc.server.js';
import { enabledProviderFor } from '../features/federation/providers.server.js';
import { SsoRefusal } from '../features/federation/refusals.js';
import { refusedResponse, signedInResponse } from '../features/federation/responses.server.js';
import { SsoRefused } from '../features/federation/SsoRefused.js';

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const slug = params.slug ?? '';
  const found = await enabledProviderFor(slug);
  const where = { institutionId: found?.institution.id ?? null, slug, protocol: 'oidc' as const, ip: context.clientIp };
  if (!found || found.provider.protocol !== 'oidc') return refusedResponse(new SsoRefusal('not-configured'), where);
  const flow = await takeFlow(await flowIdFromCookie(request));
  if (!flow || flow.institutionId !== found.institution.id || flow.protocol !== 'oidc') return refusedResponse(new SsoRefusal('no-flow'), where);
  const url = new URL(request.url);
  try {
    const identity = await finishOidc(found.provider, flow, new URL(url.pathname + url.search, publicBaseUrl()));
    return await signedInResponse(request, flow, identity, context.clientIp);
  } catch (error) {
    return refusedResponse(error, where);
  }
}

export default SsoRefused;
