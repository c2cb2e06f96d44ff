// The people the demo identity providers know. Both servers (SAML and CAS) get the same
// list unless a caller gives its own.

export type IdpUser = {
  /** The login name typed into the identity provider's form. */
  username: string;
  password: string;
  /** displayName (the person's name as the institution writes it). */
  displayName: string;
  mail: string;
  /** eduPersonPrincipalName: `user@scope`. */
  eduPersonPrincipalName: string;
  /** eduPersonScopedAffiliation values, each `affiliation@scope`. */
  eduPersonScopedAffiliation: string[];
};

/** The scope (security domain) of the demo institution, 福建师范大学. */
export const demoScope = 'fjnu.edu.cn';

export const demoUsers: IdpUser[] = [
  {
    username: 'alice',
    password: 'alice-sso-pass',
    displayName: '林晓雨',
    mail: 'alice@fjnu.edu.cn',
    eduPersonPrincipalName: 'alice@fjnu.edu.cn',
    eduPersonScopedAffiliation: ['student@fjnu.edu.cn', 'member@fjnu.edu.cn'],
  },
  {
    username: 'bob',
    password: 'bob-sso-pass',
    displayName: '陈建国',
    mail: 'bob@fjnu.edu.cn',
    eduPersonPrincipalName: 'bob@fjnu.edu.cn',
    eduPersonScopedAffiliation: ['staff@fjnu.edu.cn', 'faculty@fjnu.edu.cn', 'member@fjnu.edu.cn'],
  },
  {
    // Released by the fjnu.edu.cn identity provider with another university's scope:
    // a service provider must refuse it (the scope is not one the institution registered).
    username: 'mallory',
    password: 'mallory-sso-pass',
    displayName: '郑一鸣',
    mail: 'mallory@xmu.edu.cn',
    eduPersonPrincipalName: 'mallory@xmu.edu.cn',
    eduPersonScopedAffiliation: ['student@xmu.edu.cn'],
  },
];
