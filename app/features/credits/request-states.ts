import type { CreditRequestStatus } from '../../../db/schema/credits.js';

export type CreditRequestAction = 'auto-match' | 'review' | 'approve' | 'deny' | 'ask-info' | 'answer-info' | 'post' | 'appeal';

/**
 * The request state machine. submitted → auto-matched | in-review; a registrar approves,
 * denies or asks for more information; approved requests are posted to the transcript;
 * a denied request may be appealed once (back into review).
 */
const transitions: Record<CreditRequestAction, { from: readonly CreditRequestStatus[]; to: CreditRequestStatus }> = {
  'auto-match': { from: ['submitted'], to: 'auto-matched' },
  review: { from: ['submitted'], to: 'in-review' },
  approve: { from: ['auto-matched', 'in-review'], to: 'approved' },
  deny: { from: ['in-review'], to: 'denied' },
  'ask-info': { from: ['in-review'], to: 'more-info' },
  'answer-info': { from: ['more-info'], to: 'in-review' },
  post: { from: ['approved'], to: 'posted' },
  appeal: { from: ['denied'], to: 'in-review' },
};

export function nextStatus(from: CreditRequestStatus, action: CreditRequestAction): CreditRequestStatus | null {
  const t = transitions[action];
  return t.from.includes(from) ? t.to : null;
}

export function allowedFrom(action: CreditRequestAction): readonly CreditRequestStatus[] {
  return transitions[action].from;
}

/** Statuses a registrar still has to act on. */
export const openStatuses: readonly CreditRequestStatus[] = ['submitted', 'in-review', 'more-info', 'auto-matched'];
