import { createRequire } from 'node:module';

/**
 * Sets a V8 flag at run time. node:v8 is loaded on first use: it costs ~2 ms start-up does not need,
 * and `import()` would start Node's ES module loader inside the start-up bundle just for this.
 */
export function setV8Flag(flag: string): void {
  const v8 = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  v8.setFlagsFromString(flag);
}
