import { generate } from 'otplib';
import { demoTotpSecrets } from '../../db/seed/demo-data.js';

// Codes for the accounts the tests sign in as. The server accepts each 30-second step once per
// person (RFC 6238 §5.2) and one step either side of now, so a person signing in again within
// the same step gets the next step's code, and after that waits for the clock. The steps used
// are remembered on globalThis: the integration files share one process (singleFork).
const g = globalThis as typeof globalThis & { __eduTotp?: { secrets: Map<string, string>; lastStep: Map<string, number> } };
const state = (g.__eduTotp ??= { secrets: new Map(Object.entries(demoTotpSecrets)), lastStep: new Map() });

export function rememberTotpSecret(email: string, secret: string, usedStep?: number) {
  state.secrets.set(email, secret.replace(/\s/g, ''));
  if (usedStep !== undefined) state.lastStep.set(email, usedStep);
}

export function totpSecretOf(email: string): string | undefined {
  return state.secrets.get(email);
}

const stepNow = () => Math.floor(Date.now() / 1000 / 30);

/** A code the server has not seen from this person yet (waiting for the clock when needed). */
export async function freshTotpCode(email: string): Promise<string> {
  const secret = state.secrets.get(email);
  if (!secret) throw new Error(`no authenticator known for ${email}`);
  const step = Math.max(stepNow(), (state.lastStep.get(email) ?? 0) + 1);
  while (step > stepNow() + 1) await new Promise((r) => setTimeout(r, 1000));
  state.lastStep.set(email, step);
  return generate({ secret, epoch: step * 30 });
}

/** The code of the current step, without marking it used (for enrolment: the server has no used step yet). */
export function currentTotpCode(secret: string): Promise<string> {
  return generate({ secret: secret.replace(/\s/g, ''), epoch: stepNow() * 30 });
}

export { stepNow as currentTotpStep };
