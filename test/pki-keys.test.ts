import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPrivateKey, generatePrimeSync, randomBytes, sign, verify } from 'node:crypto';
import { generateKeyPair, privateKeyToPem } from '../src/pki/keys.js';
import { modularInverse, rsaPrivateJwk } from '../src/pki/rsa-keygen.js';
import { openssl } from './helpers.js';

/** RSA keys are built from two primes (as Go's crypto/rsa does); openssl checks every part of them. */

for (const keyType of ['rsa-2048', 'rsa-3072'] as const) {
  test(`${keyType}: openssl's full RSA check passes (p, q prime, n = pq, d, dp, dq, qi consistent)`, async () => {
    const { privateKey, publicKey } = await generateKeyPair(keyType);
    const bits = Number(keyType.slice(4));
    assert.is(privateKey.asymmetricKeyDetails?.modulusLength, bits);
    assert.is(privateKey.asymmetricKeyDetails?.publicExponent, 65537n);
    const check = openssl(['rsa', '-check', '-noout'], privateKeyToPem(privateKey));
    assert.is(check.status, 0, check.stderr);
    assert.match(check.stdout, /RSA key ok/);
    const message = randomBytes(32);
    assert.ok(verify('sha256', message, publicKey, sign('sha256', message, privateKey)), 'signs and verifies');
  });
}

test('keys are fresh each time', async () => {
  const [a, b] = await Promise.all([generateKeyPair('rsa-2048'), generateKeyPair('rsa-2048')]);
  assert.is.not(privateKeyToPem(a.privateKey), privateKeyToPem(b.privateKey));
});

test('a pair of primes is drawn again when e divides p-1, the primes are close, or the modulus is short', () => {
  const p = generatePrimeSync(1024, { bigint: true });
  const q = generatePrimeSync(1024, { bigint: true });
  assert.ok(rsaPrivateJwk(p, q, 2048), 'a good pair');
  assert.is(rsaPrivateJwk(p, p + 2n, 2048), undefined, 'p and q within 2^(1024-100)');
  const eDividesPMinus1 = 65537n * (1n << 1006n) + 1n;
  assert.is(rsaPrivateJwk(eDividesPMinus1, q, 2048), undefined, 'e | p-1 has no inverse');
  assert.is(rsaPrivateJwk(p, q, 2050), undefined, 'n is not the size asked for');
});

test('the JWK built from two primes is a key OpenSSL accepts and checks', () => {
  const p = generatePrimeSync(1024, { bigint: true });
  const q = generatePrimeSync(1024, { bigint: true });
  const key = createPrivateKey({ key: rsaPrivateJwk(p, q, 2048)!, format: 'jwk' });
  const check = openssl(['rsa', '-check', '-noout'], privateKeyToPem(key));
  assert.match(check.stdout, /RSA key ok/, check.stderr);
});

test('modularInverse', () => {
  const m = generatePrimeSync(256, { bigint: true });
  for (const a of [2n, 65537n, m - 1n, 123456789n]) assert.is((a * modularInverse(a, m)) % m, 1n);
  assert.is(modularInverse(3n, 7n), 5n);
});

test.run();
