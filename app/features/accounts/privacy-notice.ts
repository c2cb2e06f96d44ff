/**
 * The version of the privacy notice at /privacy. Change it whenever the notice's content
 * changes: sign-up records consent to the version the person was shown.
 */
export const PRIVACY_NOTICE_VERSION = '2026-12-06';

/** PIPL art. 31: a child under 14 needs a guardian's consent; schools enrol them, they do not sign up. */
export const MIN_SELF_SIGNUP_AGE = 14;
