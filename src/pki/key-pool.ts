import { Worker } from 'node:worker_threads';
import { keyRequest, useKeySupply, type KeyPair, type KeyType } from './keys.js';

/**
 * Keys made ahead of time for the app, so `pki init`, renew and fix there take a ready key instead
 * of waiting for OpenSSL: while the learner reads, one key at a time is made on a thread of its own
 * at the lowest priority, and generateKeyPair (keys.ts) hands these out first. Memory only, never
 * written anywhere; at most `capacity` keys; `stop()` drops them.
 */

export interface KeyPoolOptions {
  /** The key type to keep ready: the sandbox's, asked again before each key (the learner may change it). */
  keyType: KeyType | (() => KeyType);
  /** At most this many keys (default 16: one kubeadm PKI). */
  capacity?: number;
  /** After a key is taken, rest this long before making more, so refilling never competes with the work that took it. */
  quietMs?: number;
  /** Makes one key; by default OpenSSL on a low-priority thread (tests pass their own). */
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
  const maker = options.generate ? { generate: options.generate, close() {} } : lowPriorityKeyMaker();
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
          pair = await maker.generate(wanted);
        } catch {
          break; // callers make their own keys; the next take tries again
        }
        if (!stopped) ready.push({ keyType: wanted, pair });
      }
    } finally {
      filling = false;
      // the thread ends while the pool is full, and gives its memory back
      maker.close();
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
      maker.close();
      useKeySupply(undefined);
    },
  };
  useKeySupply(pool);
  fill();
  return pool;
}

/**
 * The thread's own code. Linux keeps a nice value per thread, so nice 19 here yields to the app's
 * thread (key presses) and to every other program, and nothing else in the process slows down;
 * elsewhere setPriority would lower the whole process, so there it runs at normal priority.
 */
const KEY_THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { generateKeyPairSync } = require('node:crypto');
if (process.platform === 'linux') {
  try { require('node:os').setPriority(19); } catch {}
}
parentPort.on('message', ({ type, options }) => {
  try {
    parentPort.postMessage({ pair: generateKeyPairSync(type, options) });
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
});
`;

/** OpenSSL's key generation (the same request as keys.ts makes) on a worker thread started when needed. */
function lowPriorityKeyMaker(): { generate(keyType: KeyType): Promise<KeyPair>; close(): void } {
  let worker: Worker | undefined;
  let pending: { resolve(pair: KeyPair): void; reject(error: Error): void } | undefined;
  const settle = (outcome: { pair?: KeyPair; error?: string }) => {
    const waiting = pending;
    pending = undefined;
    if (outcome.pair) waiting?.resolve(outcome.pair);
    else waiting?.reject(new Error(outcome.error ?? 'the key thread ended'));
  };
  const start = (): Worker => {
    // its output, if OpenSSL ever had any, must not land on the app's screen
    const thread = new Worker(KEY_THREAD_SOURCE, { eval: true, stdout: true, stderr: true });
    thread.on('message', settle);
    thread.on('error', (error) => settle({ error: error.message }));
    thread.on('exit', () => {
      if (worker === thread) worker = undefined;
      settle({ error: 'the key thread ended' });
    });
    return thread;
  };
  return {
    generate(keyType) {
      worker ??= start();
      const request = keyRequest(keyType);
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker!.postMessage(request);
      });
    },
    close() {
      const thread = worker;
      worker = undefined;
      void thread?.terminate();
      settle({ error: 'the key pool stopped' });
    },
  };
}
