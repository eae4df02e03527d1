import { runInNewContext } from 'node:vm';
import { setV8Flag } from '../v8-flags.js';

/**
 * Once the learner has stopped pressing keys for a while, collect the garbage of the screens just
 * drawn, so an idle app gives its memory back: a classroom server runs 40 of them, mostly idle while
 * people read. Left alone, V8 keeps that garbage until it next needs room, often for good.
 */

export interface IdleCollector {
  /** A key was pressed: collect once the keys have stopped for the idle time. */
  activity(): void;
  stop(): void;
}

export function collectWhenIdle(options: { idleMs?: number; collect?: () => unknown } = {}): IdleCollector {
  const idleMs = options.idleMs ?? 5000;
  let gc: (() => void) | undefined;
  const collect = options.collect ?? (() => (gc ??= fullGarbageCollection())());
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    timer = undefined;
    void collect();
  };
  return {
    activity() {
      if (timer) timer.refresh();
      else timer = setTimeout(run, idleMs).unref();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * V8's own gc(), reached without a start-up flag (any start-up flag costs Node its built-in code
 * cache). By the first idle moment the start-up bundle's code cache has long been written.
 */
export function fullGarbageCollection(): () => void {
  setV8Flag('--expose-gc');
  return runInNewContext('gc') as () => void;
}
