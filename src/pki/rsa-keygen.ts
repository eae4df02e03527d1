import { createPrivateKey, createPublicKey, generatePrime, type JsonWebKey, type KeyObject } from 'node:crypto';

function generatePrimeAsync(bits: number): Promise<bigint> {
  return new Promise((resolve, reject) => generatePrime(bits, { bigint: true }, (error, prime) => (error ? reject(error) : resolve(prime))));
}

/** kubeadm's (and Go's) public exponent. */
const PUBLIC_EXPONENT = 65537n;

/**
 * An RSA key made the way Go's crypto/rsa makes the keys kubeadm writes (`rsa.GenerateKey`): two
 * random primes of half the modulus each, from OpenSSL's prime search (its CSPRNG, trial division,
 * 64 Miller-Rabin rounds, top two bits set so the modulus has exactly the size asked for).
 * OpenSSL 3's own RSA key generation follows SP 800-56B (auxiliary primes) and takes about three
 * times as long for the same size on this hardware; the 16 keys of a PKI are most of `pki init`'s time.
 * The two primes are searched for in parallel on libuv's pool, so the main thread stays free.
 */
export async function generateRsaKeyPair(modulusLength: number): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  const primeBits = modulusLength / 2;
  for (;;) {
    const [p, q] = await Promise.all([generatePrimeAsync(primeBits), generatePrimeAsync(primeBits)]);
    const jwk = rsaPrivateJwk(p, q, modulusLength);
    if (!jwk) continue;
    const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }
}

/**
 * The private key for primes p and q, or undefined when this pair must be drawn again: e shares a
 * factor with p-1 or q-1 (no inverse), or the pair fails FIPS 186-4's checks that p and q are far
 * apart and that d is not small (both almost never happen with random primes; checked anyway).
 */
export function rsaPrivateJwk(p: bigint, q: bigint, modulusLength: number): JsonWebKey | undefined {
  const half = BigInt(modulusLength / 2);
  const distance = p > q ? p - q : q - p;
  if (distance <= 1n << (half - 100n)) return undefined;
  if ((p - 1n) % PUBLIC_EXPONENT === 0n || (q - 1n) % PUBLIC_EXPONENT === 0n) return undefined;
  const n = p * q;
  if (bitLength(n) !== modulusLength) return undefined;
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modularInverse(PUBLIC_EXPONENT, lambda);
  if (d <= 1n << half) return undefined;
  return {
    kty: 'RSA',
    n: base64url(n),
    e: base64url(PUBLIC_EXPONENT),
    d: base64url(d),
    p: base64url(p),
    q: base64url(q),
    dp: base64url(d % (p - 1n)),
    dq: base64url(d % (q - 1n)),
    qi: base64url(modularInverse(q, p)),
  };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** a⁻¹ mod m by the extended Euclidean algorithm; callers make sure gcd(a, m) = 1. */
export function modularInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  return ((oldS % m) + m) % m;
}

function bitLength(value: bigint): number {
  return value.toString(2).length;
}

/** JWK's base64urlUInt: big-endian, no leading zero bytes. */
function base64url(value: bigint): string {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
}
