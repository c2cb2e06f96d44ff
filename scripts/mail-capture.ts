// `tsx scripts/mail-capture.ts`: the local capture SMTP server of `npm start` (see
// mail-capture-server.ts). MAIL_CAPTURE_DIR and MAIL_CAPTURE_PORT say where; each message
// is announced in the log with its links, so a developer can click through a sign-up.
import path from 'node:path';
import { startMailCapture } from './mail-capture-server.js';

const dir = path.resolve(process.env.MAIL_CAPTURE_DIR ?? '.data/mail');
const port = Number(process.env.MAIL_CAPTURE_PORT ?? 2525);
const capture = await startMailCapture({
  dir,
  port,
  onMail: (mail) => console.log(`[mail] to ${mail.to.join(', ')}: ${mail.subject}${mail.links.length ? `\n[mail]   ${mail.links.join('\n[mail]   ')}` : ''}`),
});
console.log(`[mail] capturing mail on smtp://127.0.0.1:${capture.port} into ${dir} (nothing is delivered)`);
const stop = () => void capture.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
