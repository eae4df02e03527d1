import { randomInt } from 'node:crypto';

/**
 * A seeded pseudo-random generator, so `--seed 7` shuffles questions and choices the same way on
 * every machine and in every test. mulberry32: tiny, fast, and good enough for shuffling; not for
 * anything secret.
 */

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, bound). */
  below(bound: number): number;
}

export const MAX_SEED = 0xffffffff;

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, below: (bound) => Math.floor(next() * bound) };
}

/** A new array in shuffled order (Fisher-Yates); the input is left alone. */
export function shuffle<T>(items: readonly T[], random: Random): T[] {
  const result = [...items];
  for (let index = result.length - 1; index > 0; index -= 1) {
    const other = random.below(index + 1);
    const held = result[index] as T;
    result[index] = result[other] as T;
    result[other] = held;
  }
  return result;
}

/** A seed for a run without `--seed`; printed so the run can be repeated. */
export function freshSeed(): number {
  return randomInt(MAX_SEED + 1);
}
