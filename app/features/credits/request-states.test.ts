import { describe, expect, it } from 'vitest';
import { creditRequestStatuses } from '../../../db/schema/credits.js';
import { nextStatus, type CreditRequestAction } from './request-states.js';

describe('credit request state machine', () => {
  it('follows submitted → auto-matched/in-review → approved → posted', () => {
    expect(nextStatus('submitted', 'auto-match')).toBe('auto-matched');
    expect(nextStatus('auto-matched', 'approve')).toBe('approved');
    expect(nextStatus('submitted', 'review')).toBe('in-review');
    expect(nextStatus('in-review', 'ask-info')).toBe('more-info');
    expect(nextStatus('more-info', 'answer-info')).toBe('in-review');
    expect(nextStatus('in-review', 'deny')).toBe('denied');
    expect(nextStatus('denied', 'appeal')).toBe('in-review');
    expect(nextStatus('approved', 'post')).toBe('posted');
  });

  it('refuses every other transition', () => {
    const legal: Record<string, string[]> = {
      submitted: ['auto-match', 'review'],
      'auto-matched': ['approve'],
      'in-review': ['approve', 'deny', 'ask-info'],
      'more-info': ['answer-info'],
      approved: ['post'],
      denied: ['appeal'],
      posted: [],
    };
    const actions: CreditRequestAction[] = ['auto-match', 'review', 'approve', 'deny', 'ask-info', 'answer-info', 'post', 'appeal'];
    for (const status of creditRequestStatuses) {
      for (const action of actions) {
        expect(nextStatus(status, action) !== null, `${status} ${action}`).toBe(legal[status]!.includes(action));
      }
    }
  });
});
