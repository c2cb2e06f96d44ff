import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { holdResult, peekFlow } from '../features/federation/flows.server.js';
import { enabledProviderFor } from '../features/federation/providers.server.js';
import { SsoRefusal } from '../features/federation/refusals.js';
import { refusedResponse } from '../features/federation/responses.server.js';
import { finishSaml, refuseReplayedAssertion } from '../features/federation/saml.server.js';
import { SsoRefusedAfterPost } from '../features/federation/SsoRefused.js';

// A GET here (a bookmark, the back button) has no answer to check: the page says so.
export function loader({ params }: LoaderFunctionArgs) {
  return { refused: 'no-flow' as const, institutionSlug: params.slug ?? null };
}

// The IdP's page posts the answer here from its own origin (HTTP-POST binding): no CSRF token,
// and the browser's SameSite=Lax cookies do not come with it. The verified answer waits for
// the browser at /saml/finish, where its flow cookie is sent again and must match.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = params.slug ?? '';
  const found = await enabledProviderFor(slug);
  const where = { institutionId: found?.institution.id ?? null, slug, protocol: 'saml' as const, ip: context.clientIp };
  if (!found || found.provider.protocol !== 'saml') return refusedResponse(new SsoRefusal('not-configured'), where);
  const form = await request.formData();
  const samlResponse = form.get('SAMLResponse');
  const relayState = form.get('RelayState');
  try {
    if (typeof samlResponse !== 'string' || samlResponse.length === 0) throw new SsoRefusal('invalid-response', 'no SAMLResponse');
    await refuseReplayedAssertion(found.institution.id, samlResponse);
    const flow = await peekFlow(typeof relayState === 'string' ? relayState : null);
    if (!flow || flow.institutionId !== found.institution.id || flow.protocol !== 'saml') throw new SsoRefusal('no-flow', 'RelayState names no SAML sign-in');
    const identity = await finishSaml(found.provider, slug, flow.samlRequestId, samlResponse);
    await holdResult(relayState as string, identity);
    return redirect(`/sso/${slug}/saml/finish`, { status: 303, headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return refusedResponse(error, where);
  }
}

export default SsoRefusedAfterPost;
