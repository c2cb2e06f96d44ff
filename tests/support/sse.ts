/** One Server-Sent Event as a browser's EventSource would deliver it. */
export type SseEvent = { id: string | null; event: string; data: string };

/**
 * Reads a text/event-stream response and hands out its events, like EventSource but with
 * `next(kind)` to wait for the next event of a kind (pings are kept, too).
 */
export class SseReader {
  readonly events: SseEvent[] = [];
  private waiters: (() => void)[] = [];
  private done = false;
  readonly closed: Promise<void>;

  constructor(readonly response: Response) {
    this.closed = this.pump();
  }

  private reader: ReadableStreamDefaultReader<string> | null = null;

  private async pump() {
    const reader = this.response.body!.pipeThrough(new TextDecoderStream()).getReader();
    this.reader = reader;
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const e: SseEvent = { id: null, event: 'message', data: '' };
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('data: ')) {
              e.data += line.slice(6);
              hasData = true;
            }
          }
          if (hasData) this.events.push(e);
          this.waiters.splice(0).forEach((w) => w());
        }
      }
    } catch {
      /* aborted */
    } finally {
      this.done = true;
      this.waiters.splice(0).forEach((w) => w());
    }
  }

  /** The first event (from index `from`) matching `test`, waiting up to `timeoutMs` for it. */
  async find(test: (e: SseEvent) => boolean, { from = 0, timeoutMs = 10_000 } = {}): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.slice(from).find(test);
      if (hit) return hit;
      if (this.done) throw new Error(`stream ended without the event; got ${this.events.map((e) => e.event).join(',')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${this.events.map((e) => `${e.event}#${e.id}`).join(',')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, left);
      });
    }
  }

  ofKind(kind: string): SseEvent[] {
    return this.events.filter((e) => e.event === kind);
  }

  /** Hangs up, as a closed tab does (the body is locked by the pump: cancel through its reader). */
  async close() {
    await this.reader?.cancel().catch(() => {});
    await this.closed;
  }
}
