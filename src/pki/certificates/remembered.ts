/**
 * A parse kept by what was parsed (a certificate's bytes, a kubeconfig's text): the same input gives
 * the same result, so nothing kept goes stale, and a look at a sandbox that reads ca.crt for every
 * file flag parses it once. Bounded: the oldest goes first. A parse that throws is not kept.
 */
const KEPT = 256;

export function remembered<T>(cache: Map<string, T>, key: string, make: () => T): T {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const made = make();
  if (cache.size >= KEPT) cache.delete(cache.keys().next().value!);
  cache.set(key, made);
  return made;
}
