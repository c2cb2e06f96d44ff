import { z } from 'zod';
import { ssoProtocols, ssoStaffRoles } from '../../../db/schema/federation.js';
import { messageWith } from '../i18n/i18n.js';

export const linkAccountSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('link'), password: z.string({ required_error: 'errors.required' }).max(200, 'errors.passwordTooLong') }),
  z.object({ intent: z.literal('cancel') }),
]);

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, messageWith('errors.tooLong', { max }))
    .optional()
    .transform((v) => (v ? v : null));

const optionalUrl = z
  .string()
  .trim()
  .max(2000, messageWith('errors.tooLong', { max: 2000 }))
  .url('sso.settings.badUrl')
  .refine((v) => /^https?:\/\//.test(v), 'sso.settings.badUrl')
  .optional()
  .transform((v) => v ?? null);

const domain = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Registered scopes: domains, one per line or separated by commas or spaces. */
const scopeList = z
  .string()
  .optional()
  .transform((v) => [...new Set((v ?? '').toLowerCase().split(/[\s,，]+/).filter(Boolean))])
  .refine((list) => list.every((d) => domain.test(d)), 'sso.settings.badScope')
  .refine((list) => list.length <= 20, 'sso.settings.badScope');

export const providerSettingsSchema = z
  .object({
    protocol: z.enum(ssoProtocols, { errorMap: () => ({ message: 'errors.invalidChoice' }) }),
    enabled: z.literal('on').optional(),
    displayNameZh: z.string({ required_error: 'errors.required' }).trim().min(1, 'errors.required').max(80, messageWith('errors.tooLong', { max: 80 })),
    displayNameEn: z.string({ required_error: 'errors.required' }).trim().min(1, 'errors.required').max(120, messageWith('errors.tooLong', { max: 120 })),
    scopes: scopeList,
    staffRole: z.enum(['', ...ssoStaffRoles], { errorMap: () => ({ message: 'errors.invalidChoice' }) }).optional(),
    samlMetadataUrl: optionalUrl,
    samlMetadataXml: optionalText(200_000),
    oidcIssuer: optionalUrl,
    oidcClientId: optionalText(200),
    oidcClientSecret: optionalText(500),
    casBaseUrl: optionalUrl,
  })
  .superRefine((v, ctx) => {
    const need = (path: string, ok: boolean) => ok || ctx.addIssue({ code: 'custom', path: [path], message: 'sso.settings.requiredForProtocol' });
    if (v.protocol === 'oidc') {
      need('oidcIssuer', Boolean(v.oidcIssuer));
      need('oidcClientId', Boolean(v.oidcClientId));
    }
    if (v.protocol === 'saml') need('samlMetadataUrl', Boolean(v.samlMetadataUrl || v.samlMetadataXml));
    if (v.protocol === 'cas') need('casBaseUrl', Boolean(v.casBaseUrl));
    // Without a registered scope every scoped affiliation would be refused.
    if (v.enabled) need('scopes', v.scopes.length > 0);
  });
