import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's 2023 minimum (m=19 MiB, t=2, p=1). The parameters are stored
// in each hash, so raising them later only affects new and re-hashed passwords.
const ARGON2ID = 2;
const options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  // Verify against a fixed hash when there is none, so a missing account takes as long as a wrong password.
  const target = passwordHash ?? (await dummyHash);
  const ok = await verify(target, password).catch(() => false);
  return ok && passwordHash !== null;
}

const dummyHash = hash('not-a-password-of-anyone', options);
