import type { LoaderFunctionArgs } from '@remix-run/node';
import { flowIdFromCookie, takeFlow, takeResult } from '../features/federation/flows.server.js';
import { findInstitutionBySlug } from '../features/federation/providers.server.js';
import { SsoRefusal } from '../features/federation/refusals.js';
import { refusedResponse, signedInResponse } from '../features/federation/responses.server.js';
import type { VerifiedIdentity } from '../features/federation/sign-in.server.js';
import { SsoRefused } from '../features/federation/SsoRefused.js';

// Where the ACS sends the browser: its flow cookie names the verified answer. A browser that
// did not start this sign-in (login CSRF: someone else's answer posted through it) has none.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const slug = params.slug ?? '';
  const flowId = await flowIdFromCookie(request);
  const [identity, flow] = [await takeResult<VerifiedIdentity>(flowId), await takeFlow(flowId)];
  if (!identity || !flow || flow.slug !== slug || flow.institutionId !== identity.institutionId) {
    const institution = await findInstitutionBySlug(slug);
    return refusedResponse(new SsoRefusal('no-flow', 'no verified answer for this browser'), { institutionId: institution?.id ?? null, slug, protocol: 'saml', ip: context.clientIp });
  }
  return signedInResponse(request, flow, identity, context.clientIp);
}

export default SsoRefused;
