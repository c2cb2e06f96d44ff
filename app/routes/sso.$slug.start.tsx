import { data, redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { beginFlow, newFlowId } from '../features/federation/flows.server.js';
import { enabledProviderFor } from '../features/federation/providers.server.js';
import { refusedResponse } from '../features/federation/responses.server.js';
import { SsoRefused } from '../features/federation/SsoRefused.js';
import { startSignIn } from '../features/federation/start.server.js';
import { safeRedirectPath } from '../features/identity/guards.server.js';

// A link on the login page: sends the browser to the institution's IdP with a flow bound to it.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const found = await enabledProviderFor(params.slug ?? '');
  if (!found) throw data({ reason: 'not-found' as const }, { status: 404 });
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get('redirectTo'));
  const { institution, provider } = found;
  try {
    const flowId = newFlowId();
    const { url, checks } = await startSignIn(provider, institution.slug, flowId);
    const { setCookie } = await beginFlow(flowId, { institutionId: institution.id, slug: institution.slug, protocol: provider.protocol, redirectTo, ...checks });
    return redirect(url, { headers: { 'Set-Cookie': setCookie, 'Cache-Control': 'no-store' } });
  } catch (error) {
    return refusedResponse(error, { institutionId: institution.id, slug: institution.slug, protocol: provider.protocol, ip: context.clientIp });
  }
}

export default SsoRefused;
