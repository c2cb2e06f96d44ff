import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response } from 'express';
import { recordAccessDenied } from '../features/audit/audit.server.js';
import { hasPermission } from '../features/identity/permissions.js';
import { getCurrentUser } from '../features/identity/session.server.js';
import { getQueues } from '../features/queues.server.js';
import { getServices } from '../services.server.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** Province administrators only; anyone else is sent to log in, or refused and audited. */
function requireAdmin() {
  return async (req: Request, res: Response, next: NextFunction) => {
    const request = new globalThis.Request(`http://local${req.originalUrl}`, { headers: { cookie: req.headers.cookie ?? '' } });
    const user = await getCurrentUser(request);
    if (!user) return res.redirect(`/login?redirectTo=${encodeURIComponent(req.originalUrl)}`);
    if (!hasPermission(user.memberships, 'admin:institutions')) {
      await recordAccessDenied(getServices().db, { userId: user.id, ip: req.ip ?? null, permission: 'admin:institutions', method: req.method, path: req.path });
      return res.status(403).type('text/plain').send('Forbidden: the queue dashboard is for administrators');
    }
    next();
  };
}

/** Bull Board: every queue's waiting, active, failed (with reasons) and completed jobs. */
export function queueDashboard() {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: Object.values(getQueues()).map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  return [
    requireAdmin(),
    // Bull Board's page boots with an inline script; only this admin-only path allows it.
    (_req: Request, res: Response, next: NextFunction) => {
      const csp = String(res.getHeader('Content-Security-Policy') ?? '');
      res.setHeader('Content-Security-Policy', csp.replace(/script-src [^;]+/, "script-src 'self' 'unsafe-inline'").replace(/style-src [^;]+/, "style-src 'self' 'unsafe-inline'"));
      next();
    },
    adapter.getRouter(),
  ];
}
