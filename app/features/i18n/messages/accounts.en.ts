import type { accountsZhCN } from './accounts.zh-CN.js';

// Accounts, mail, the privacy notice and login fences, kept apart to ease merging.
export const accountsEn = {
  'admin.mail': 'Mail (local mailbox)',
  'admin.mail.intro': 'This site has no outgoing mail relay: the local capture server keeps every message and nothing is delivered. The newest 50 are listed here, for administrators only.',
  'admin.mail.none': 'No mail yet.',
  'admin.mail.to': 'To: {to}',
} as const satisfies Record<keyof typeof accountsZhCN, string>;
