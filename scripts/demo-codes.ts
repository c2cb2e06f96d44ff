// Prints the current two-step codes of the demo registrar and administrator (their keys are in
// db/seed/demo-data.ts), so the demo can be tried without an authenticator app.
import { generate } from 'otplib';
import { demoTotpSecrets } from '../db/seed/demo-data.js';

const now = Math.floor(Date.now() / 1000);
const secondsLeft = 30 - (now % 30);
for (const [email, secret] of Object.entries(demoTotpSecrets)) {
  console.log(`${email.padEnd(24)} ${await generate({ secret, epoch: now })}`);
}
console.log(`(valid for ${secondsLeft} more seconds; each code signs in once)`);
