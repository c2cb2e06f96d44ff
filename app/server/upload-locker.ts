import { randomUUID } from 'node:crypto';
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/utils';
import type { Redis } from 'ioredis';

const RELEASE_CHANNEL = 'edu:tus-lock-release';
const ASK_AGAIN_MS = 1_000;
const UNLOCK_IF_OURS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW_IF_OURS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export type RedisUploadLockerOptions = {
  /** Commands (SET NX, scripts, PUBLISH). */
  redis: Redis;
  /** A connection of its own, left in subscriber mode: it hears other nodes asking for a lock back. */
  subscriber: Redis;
  /** A holder that dies keeps the lock this long at most; a live one renews it. */
  ttlMs?: number;
  /** How long a request waits for a lock before tus answers with an error (the client retries). */
  acquireTimeoutMs?: number;
  retryMs?: number;
};

/**
 * tus's lock on an upload, across every web node: with uploads in a bucket, a resumed
 * PATCH may reach another node than the one still flushing the cut connection's bytes,
 * and tus's default in-memory lock cannot see that. The lock is a Redis key (SET NX PX,
 * renewed while held, released only by its holder); a node that wants it publishes a
 * request, and the holder cancels its request as tus's own lock would (the dead
 * connection's last bytes are saved first), then lets go.
 */
export class RedisUploadLocker implements Locker {
  readonly held = new Map<string, { token: string; requestRelease: RequestRelease }>();
  readonly options: Required<Omit<RedisUploadLockerOptions, 'redis' | 'subscriber'>> & Pick<RedisUploadLockerOptions, 'redis'>;
  private readonly subscribed: Promise<unknown>;

  constructor({ redis, subscriber, ttlMs = 30_000, acquireTimeoutMs = 30_000, retryMs = 100 }: RedisUploadLockerOptions) {
    this.options = { redis, ttlMs, acquireTimeoutMs, retryMs };
    subscriber.on('message', (channel: string, id: string) => {
      if (channel === RELEASE_CHANNEL) void this.held.get(id)?.requestRelease();
    });
    // Subscribe only once the connection is ready: a SUBSCRIBE sent between the TCP connect
    // and ioredis's ready check (INFO) makes that check fail, and the subscription could be
    // lost (reproduced: a ready-check error every time, a lost message 1 time in 20; the
    // lock was then never released, as seen in CI).
    const ready = subscriber.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => subscriber.once('ready', () => resolve()));
    if (subscriber.status === 'wait') void subscriber.connect().catch(() => {});
    this.subscribed = ready.then(() => subscriber.subscribe(RELEASE_CHANNEL));
  }

  ready(): Promise<unknown> {
    return this.subscribed;
  }

  newLock(id: string): Lock {
    return new RedisUploadLock(id, this);
  }
}

const lockKey = (id: string) => `edu:tus-lock:${id}`;

class RedisUploadLock implements Lock {
  private readonly token = randomUUID();
  private renewal: NodeJS.Timeout | undefined;

  constructor(
    private readonly id: string,
    private readonly locker: RedisUploadLocker,
  ) {}

  async lock(signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const { redis, ttlMs, acquireTimeoutMs, retryMs } = this.locker.options;
    const deadline = Date.now() + acquireTimeoutMs;
    let askedAt = -Infinity;
    while (!signal.aborted && Date.now() < deadline) {
      if ((await redis.set(lockKey(this.id), this.token, 'PX', ttlMs, 'NX')) === 'OK') {
        this.locker.held.set(this.id, { token: this.token, requestRelease });
        this.renewal = setInterval(() => void redis.eval(RENEW_IF_OURS, 1, lockKey(this.id), this.token, ttlMs).catch(() => {}), Math.floor(ttlMs / 3));
        this.renewal.unref();
        return;
      }
      // Asked again every second: pub/sub delivers at most once, and a holder whose
      // subscriber was reconnecting would otherwise never hear it.
      if (Date.now() - askedAt >= ASK_AGAIN_MS) {
        askedAt = Date.now();
        await redis.publish(RELEASE_CHANNEL, this.id);
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
    throw ERRORS.ERR_LOCK_TIMEOUT;
  }

  async unlock(): Promise<void> {
    clearInterval(this.renewal);
    if (this.locker.held.get(this.id)?.token === this.token) this.locker.held.delete(this.id);
    await this.locker.options.redis.eval(UNLOCK_IF_OURS, 1, lockKey(this.id), this.token);
  }
}
