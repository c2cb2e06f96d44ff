import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';

/** What onboarding sends by mail: an invitation link or a membership code, each to one address. */
export type OnboardingMessage =
  | { kind: 'staff-invitation'; to: string; link: string; institutionNameZh: string; institutionNameEn: string; role: 'teacher' | 'assistant' }
  | { kind: 'mail-domain-code'; to: string; code: string; institutionNameZh: string; institutionNameEn: string };

export type Delivery = 'sent' | 'not-configured';

/** The development mailbox until the SMTP mailer is wired in; never used in production. */
export const DEV_OUTBOX_KEY = 'edu:dev-outbox:onboarding';
const DEV_OUTBOX_KEEP = 200;

/**
 * The one seam between onboarding and mail. Messages carry secrets (a link, a code), so they
 * are never logged; in development and tests they wait in a Redis list a developer can read.
 */
export async function deliverOnboardingMessage(message: OnboardingMessage): Promise<Delivery> {
  if (getEnv().NODE_ENV === 'production') return 'not-configured';
  const { redis } = getServices();
  await redis.multi().lpush(DEV_OUTBOX_KEY, JSON.stringify({ ...message, at: new Date().toISOString() })).ltrim(DEV_OUTBOX_KEY, 0, DEV_OUTBOX_KEEP - 1).expire(DEV_OUTBOX_KEY, 7 * 24 * 3600).exec();
  return 'sent';
}
