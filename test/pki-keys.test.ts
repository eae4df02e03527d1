import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes, sign, verify } from 'node:crypto';
import { generateKeyPair, privateKeyToPem } from '../src/pki/certificates/keys.js';
import { openssl } from './helpers.js';

/** RSA keys come from OpenSSL's key generation; openssl checks every part of them. */

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

test('ecdsa-p256: a P-256 key that signs and verifies', async () => {
  const { privateKey, publicKey } = await generateKeyPair('ecdsa-p256');
  assert.is(privateKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  const message = randomBytes(32);
  assert.ok(verify('sha256', message, publicKey, sign('sha256', message, privateKey)));
});

test('keys are fresh each time', async () => {
  const [a, b] = await Promise.all([generateKeyPair('rsa-2048'), generateKeyPair('rsa-2048')]);
  assert.is.not(privateKeyToPem(a.privateKey), privateKeyToPem(b.privateKey));
});

test.run();
