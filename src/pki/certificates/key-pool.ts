import { generateKeyPairNow, useKeySupply, type KeyPair, type KeyType } from './keys.js';

/**
 * Keys made ahead of time for the app, so `pki init`, renew and fix there take a ready key instead
 * of waiting for OpenSSL: while the learner reads, OpenSSL makes one key at a time on one of libuv's
 * threads (never the main thread, so a key press is never kept waiting), and generateKeyPair
 * (keys.ts) hands these out first. Memory only, never written anywhere; at most `capacity` keys;
 * `stop()` drops them.
 *
 * Not on a worker thread at nice 19: that was tried, and the app's resident memory then grew by a
 * quarter to a third over the session benchmark in five runs of six (the cause was not pinned down;
 * on libuv's pool, as without a pool, it stayed within a few per cent).
 */

export interface KeyPoolOptions {
  /** The key type to keep ready: the sandbox's, asked again before each key (the learner may change it). */
  keyType: KeyType | (() => KeyType);
  /** At most this many keys (default 16: one kubeadm PKI). */
  capacity?: number;
  /** After a key is taken, rest this long before making more, so refilling never competes with the work that took it. */
  quietMs?: number;
  /** Makes one key; by default OpenSSL on libuv's pool (tests pass their own). */
  generate?: (keyType: KeyType) => Promise<KeyPair>;
}

export interface KeyPool {
  /** A ready key of this type, or undefined (then the caller makes one). */
  take(keyType: KeyType): KeyPair | undefined;
  /** How many keys are ready. */
  readonly size: number;
  stop(): void;
}

/** Starts filling the pool, and makes it the one generateKeyPair takes from until `stop()`. */
export function startKeyPool(options: KeyPoolOptions): KeyPool {
  const capacity = options.capacity ?? 16;
  const quietMs = options.quietMs ?? 2000;
  const keyType = typeof options.keyType === 'function' ? options.keyType : () => options.keyType as KeyType;
  const generate = options.generate ?? generateKeyPairNow;
  const ready: { keyType: KeyType; pair: KeyPair }[] = [];
  let lastTaken = -Infinity;
  let filling = false;
  let stopped = false;
  let rest: { timer: NodeJS.Timeout; wake: () => void } | undefined;

  const fill = () => {
    if (!filling && !stopped) void refill();
  };

  async function refill(): Promise<void> {
    filling = true;
    try {
      while (!stopped) {
        const wanted = keyType();
        // keys of a type the sandbox no longer uses are of no use
        for (let i = ready.length - 1; i >= 0; i--) if (ready[i]!.keyType !== wanted) ready.splice(i, 1);
        if (ready.length >= capacity) break;
        const wait = lastTaken + quietMs - Date.now();
        if (wait > 0) {
          await new Promise<void>((wake) => (rest = { timer: setTimeout(wake, wait), wake }));
          rest = undefined;
          continue;
        }
        let pair: KeyPair;
        try {
          pair = await generate(wanted);
        } catch {
          break; // callers make their own keys; the next take tries again
        }
        if (!stopped) ready.push({ keyType: wanted, pair });
      }
    } finally {
      filling = false;
    }
  }

  const pool: KeyPool = {
    take(type) {
      lastTaken = Date.now();
      const index = ready.findIndex((key) => key.keyType === type);
      const pair = index >= 0 ? ready.splice(index, 1)[0]!.pair : undefined;
      fill();
      return pair;
    },
    get size() {
      return ready.length;
    },
    stop() {
      stopped = true;
      ready.length = 0;
      if (rest) {
        clearTimeout(rest.timer);
        rest.wake();
      }
      useKeySupply(undefined);
    },
  };
  useKeySupply(pool);
  fill();
  return pool;
}
