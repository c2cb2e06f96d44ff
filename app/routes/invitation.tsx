import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { pick } from '../components/catalog/labels.js';
import { CsrfInput } from '../components/CsrfInput.js';
import { parseForm } from '../features/forms.server.js';
import { translateError, useLocale, useT } from '../features/i18n/i18n.js';
import { getLocale } from '../features/i18n/locale.server.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { getCurrentUser, startSession } from '../features/identity/session.server.js';
import { invitationAccountSchema } from '../features/onboarding/schemas.js';
import { acceptInvitation, createAccountForInvitation, findInvitation } from '../features/onboarding/staff.server.js';
import { accountExists } from '../features/onboarding/accounts.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'invite.title');

// The mailed link is /invitation?token=…; forms carry the token back as a field.
const tokenOf = (request: Request) => new URL(request.url).searchParams.get('token') ?? '';

export async function loader({ request }: LoaderFunctionArgs) {
  const token = tokenOf(request);
  const invitation = await findInvitation(token);
  if (!invitation) throw data({ reason: 'invitation-gone' as const }, { status: 410 });
  const user = await getCurrentUser(request);
  const here = `/invitation?token=${encodeURIComponent(token)}`;
  return {
    invitation: { email: invitation.email, role: invitation.role, nameZh: invitation.nameZh, nameEn: invitation.nameEn },
    signedInAs: user?.email ?? null,
    hasAccount: user ? true : await accountExists(invitation.email),
    token,
    loginLink: `/login?redirectTo=${encodeURIComponent(here)}`,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { submission } = await parseForm(request, invitationAccountSchema);
  if (submission.status !== 'success') return data({ error: Object.values(submission.error ?? {}).flat()[0] ?? 'errors.formInvalid' }, { status: 400 });
  const token = submission.value.token;
  if (submission.value.intent === 'accept') {
    const user = await getCurrentUser(request);
    if (!user) throw redirect(`/login?redirectTo=${encodeURIComponent(`/invitation?token=${encodeURIComponent(token)}`)}`);
    const outcome = await acceptInvitation(token, user, context.clientIp);
    if (outcome === 'wrong-account') return data({ error: 'invite.wrongAccount' }, { status: 403 });
    if (outcome === 'used') return data({ error: 'invite.gone' }, { status: 410 });
    return redirect('/?joined=1');
  }
  const created = await createAccountForInvitation(token, { displayName: submission.value.displayName, password: submission.value.password, locale: await getLocale(request) }, context.clientIp);
  if (created.kind === 'has-account') return data({ error: 'invite.hasAccount' }, { status: 409 });
  if (created.kind === 'used') return data({ error: 'invite.gone' }, { status: 410 });
  return redirect('/?joined=1', { headers: { 'Set-Cookie': await startSession(request, created.userId) } });
}

export default function InvitationPage() {
  const { invitation, signedInAs, hasAccount, loginLink, token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const institution = pick(locale, invitation.nameZh, invitation.nameEn);
  const mine = signedInAs?.toLowerCase() === invitation.email;
  return (
    <section aria-labelledby="invite-title">
      <h1 id="invite-title">{t('invite.heading', { institution, role: t(`role.${invitation.role}`) })}</h1>
      <p>{t('invite.for', { email: invitation.email })}</p>
      {actionData ? (
        <p className="notice warn" role="alert">
          {translateError(locale, actionData.error)}
        </p>
      ) : null}
      {mine ? (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="accept" />
          <input type="hidden" name="token" value={token} />
          <button type="submit" className="button">
            {t('invite.accept')}
          </button>
        </Form>
      ) : signedInAs ? (
        <p className="notice warn">{t('invite.otherAccount', { email: signedInAs })}</p>
      ) : hasAccount ? (
        <p>
          <a className="button" href={loginLink}>
            {t('invite.login')}
          </a>
        </p>
      ) : (
        <Form method="post" className="stacked" aria-labelledby="create-title">
          <h2 id="create-title">{t('invite.create')}</h2>
          <CsrfInput />
          <input type="hidden" name="intent" value="create" />
          <input type="hidden" name="token" value={token} />
          <div className="field">
            <label htmlFor="invite-name">{t('signup.displayName')}</label>
            <input id="invite-name" name="displayName" required maxLength={80} autoComplete="name" />
          </div>
          <div className="field">
            <label htmlFor="invite-password">{t('signup.password')}</label>
            <input id="invite-password" name="password" type="password" required minLength={10} maxLength={200} autoComplete="new-password" />
          </div>
          <button type="submit" className="button">
            {t('invite.createAndAccept')}
          </button>
        </Form>
      )}
    </section>
  );
}
