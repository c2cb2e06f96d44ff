import * as tus from 'tus-js-client';

export type TusOutcome = { url: string | null; error: Error | null; startOffset: number | null };

/**
 * Uploads `data` with tus-js-client (Node) as a browser would, sending this client's
 * cookies. `abortAtFraction` stops mid-way like a dropped connection; `resumeFrom`
 * continues an earlier upload by its URL.
 */
export function tusUpload(
  baseUrl: string,
  data: Buffer,
  opts: { cookie: string; ip: string; metadata: Record<string, string>; chunkSize?: number; abortAtFraction?: number; resumeFrom?: string },
): Promise<TusOutcome> {
  return new Promise((resolve) => {
    let startOffset: number | null = null;
    const upload: tus.Upload = new tus.Upload(data, {
      endpoint: `${baseUrl}/uploads/tus`,
      uploadUrl: opts.resumeFrom ?? null,
      chunkSize: opts.chunkSize ?? 256 * 1024,
      retryDelays: [],
      metadata: opts.metadata,
      headers: { Cookie: opts.cookie, 'X-Forwarded-For': opts.ip },
      onProgress(sent, total) {
        startOffset ??= sent;
        if (opts.abortAtFraction !== undefined && sent / total >= opts.abortAtFraction) {
          void upload.abort().then(() => resolve({ url: upload.url, error: null, startOffset }));
        }
      },
      onSuccess: () => resolve({ url: upload.url, error: null, startOffset }),
      onError: (error) => resolve({ url: upload.url, error, startOffset }),
    });
    upload.start();
  });
}

export function cookieHeader(cookies: Map<string, string>): string {
  return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}
