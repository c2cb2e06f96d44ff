import type { NextFunction, Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from 'express';
import { getServices } from '../services.server.js';
import { sessionStreamFor } from '../features/classrooms/session-stream-access.server.js';
import { EVENT_STREAM_HEADERS, openSessionEvents } from '../features/classrooms/session-stream.server.js';

export const CLASSROOM_EVENTS_PATH = '/classroom/sessions/:sessionId/events';

/** A guard's refusal (a thrown redirect Response, or Remix's `data(…, { status })`) as an HTTP answer. */
async function sendRefusal(res: ExpressResponse, thrown: unknown, next: NextFunction) {
  if (thrown instanceof Response) {
    res.status(thrown.status);
    thrown.headers.forEach((value, name) => res.append(name, value));
    res.send(await thrown.text());
    return;
  }
  const init = (thrown as { type?: string; init?: { status?: number } } | null)?.type === 'DataWithResponseInit' ? (thrown as { init?: { status?: number } }).init : undefined;
  if (init?.status) {
    res.status(init.status).type('text/plain').send(init.status === 403 ? 'Forbidden' : init.status === 404 ? 'Not Found' : 'Refused');
    return;
  }
  next(thrown);
}

/**
 * The classroom event stream written straight to the socket: each screen holds one
 * response and a few closures, not a web Request, Response and ReadableStream chain through
 * Remix (bench:classroom: memory per idle screen and fan-out time). The guard gets a light
 * web Request with only what it reads (URL, cookies, Last-Event-ID), dropped once it ran.
 */
export function serveClassroomEvents(): RequestHandler {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    // Listened for from the start: a screen that hangs up while the guard runs must not
    // leave a stream (and its subscription) open behind it.
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    void (async () => {
      const headers = new Headers();
      for (const name of ['cookie', 'last-event-id']) {
        const value = req.get(name);
        if (value) headers.set(name, value);
      }
      const url = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`;
      const context = { clientIp: req.ip ?? 'unknown', cspNonce: String(res.locals.cspNonce ?? ''), csrfToken: String(res.locals.csrfToken ?? '') };
      let options: Awaited<ReturnType<typeof sessionStreamFor>>;
      try {
        options = await sessionStreamFor(new Request(url, { headers }), context, req.params.sessionId);
      } catch (thrown) {
        return sendRefusal(res, thrown, next);
      }
      if (gone.signal.aborted) return;
      res.writeHead(200, EVENT_STREAM_HEADERS);
      res.flushHeaders();
      try {
        await openSessionEvents({ ...options, signal: gone.signal }, { write: (bytes) => void res.write(bytes), close: () => res.end() });
      } catch (error) {
        // Headers are sent: end the stream; the screen reconnects with backoff.
        getServices().log.warn({ err: (error as Error).message, sessionId: options.sessionId }, 'classroom event stream failed');
        res.end();
      }
    })().catch(next);
  };
}
