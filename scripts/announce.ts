// Waits for /healthz, then prints where the site is and the demo logins.
import { demoLoginLines } from '../db/seed/index.js';

const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '3000';
const base = process.env.PUBLIC_URL ?? `http://${host}:${port}`;
const deadline = Date.now() + 90_000;

while (Date.now() < deadline) {
  const healthy = await fetch(`http://${host}:${port}/healthz`).then((r) => r.ok, () => false);
  if (healthy) {
    const lines = ['', '='.repeat(60), ...demoLoginLines(base), '='.repeat(60), ''];
    if (process.env.SEED_DEMO_USERS === '0') lines.splice(3);
    console.log(lines.join('\n'));
    process.exit(0);
  }
  await new Promise((r) => setTimeout(r, 500));
}
console.error(`[edu] ${base}/healthz did not answer healthy within 90 s`);
process.exit(1);
