import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes, sign, verify } from 'node:crypto';
import { generateKeyPair, generateKeyPairNow, privateKeyToPem, type KeyPair, type KeyType } from '../src/pki/certificates/keys.js';
import { startKeyPool, type KeyPool } from '../src/pki/certificates/key-pool.js';
import { initSandbox } from '../src/pki/index.js';
import { openssl, removeTempDirs, tempDir, TEST_CLUSTER } from './helpers.js';

/** The app's key pool: keys made ahead of time, handed out first, bounded, memory only. */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(5);
  }
}

/** Quick stand-in keys (P-256), counted, whatever type is asked for. */
function countingMaker() {
  const made: { keyType: KeyType; pair: KeyPair }[] = [];
  return {
    made,
    generate: async (keyType: KeyType) => {
      const pair = await generateKeyPairNow('ecdsa-p256');
      made.push({ keyType, pair });
      return pair;
    },
  };
}

test('generateKeyPair takes a pooled key first, then the pool refills', async () => {
  const maker = countingMaker();
  const pool = startKeyPool({ keyType: 'rsa-2048', capacity: 3, quietMs: 0, generate: maker.generate });
  try {
    await until(() => pool.size === 3);
    const pair = await generateKeyPair('rsa-2048');
    assert.ok(maker.made.slice(0, 3).some((key) => key.pair === pair), 'a key the pool had made');
    assert.is(pool.size, 2);
    await until(() => pool.size === 3);
    assert.is(maker.made.length, 4, 'one more key, for the one taken');
  } finally {
    pool.stop();
  }
});

test('never more keys than its bound, and none made while it is full', async () => {
  const maker = countingMaker();
  let most = 0;
  let pool: KeyPool | undefined;
  // the first key is asked for inside startKeyPool, before it returns
  pool = startKeyPool({ keyType: 'rsa-2048', capacity: 4, quietMs: 0, generate: async (keyType) => {
    most = Math.max(most, pool?.size ?? 0);
    return maker.generate(keyType);
  } });
  try {
    await until(() => pool.size === 4);
    await sleep(100);
    assert.is(maker.made.length, 4);
    for (let i = 0; i < 10; i++) pool.take('rsa-2048');
    await until(() => pool.size === 4);
    await sleep(100);
    assert.is(pool.size, 4);
    assert.ok(most < 4, `asked for a key while holding ${most}`);
    assert.is(maker.made.length, 8, 'four taken, four made again (the empty takes made nothing extra)');
  } finally {
    pool.stop();
  }
});

test('keys of another type are not handed out, and the pool follows the sandbox to a new type', async () => {
  const maker = countingMaker();
  let sandboxType: KeyType = 'rsa-2048';
  const pool = startKeyPool({ keyType: () => sandboxType, capacity: 2, quietMs: 0, generate: maker.generate });
  try {
    await until(() => pool.size === 2);
    assert.is(pool.take('rsa-4096'), undefined);
    assert.is(pool.size, 2, 'the rsa-2048 keys stay while the sandbox is rsa-2048');
    const ecdsa = await generateKeyPair('ecdsa-p256');
    assert.is(ecdsa.privateKey.asymmetricKeyDetails?.namedCurve, 'prime256v1', 'made now, of the type asked for');
    sandboxType = 'rsa-3072';
    pool.take('rsa-3072');
    await until(() => pool.size === 2 && maker.made.length === 4);
    assert.equal(maker.made.slice(2).map((key) => key.keyType), ['rsa-3072', 'rsa-3072']);
    assert.ok(pool.take('rsa-3072'));
  } finally {
    pool.stop();
  }
});

test('rests after a take before it makes more', async () => {
  const maker = countingMaker();
  const pool = startKeyPool({ keyType: 'rsa-2048', capacity: 2, quietMs: 300, generate: maker.generate });
  try {
    await until(() => pool.size === 2);
    pool.take('rsa-2048');
    await sleep(150);
    assert.is(maker.made.length, 2, 'nothing made during the rest');
    await until(() => pool.size === 2);
    assert.is(maker.made.length, 3);
  } finally {
    pool.stop();
  }
});

test('stop: the keys are dropped and generateKeyPair makes its own again', async () => {
  const maker = countingMaker();
  const pool = startKeyPool({ keyType: 'ecdsa-p256', capacity: 2, quietMs: 0, generate: maker.generate });
  await until(() => pool.size === 2);
  const pooled = maker.made.map((key) => key.pair);
  pool.stop();
  assert.is(pool.size, 0);
  const pair = await generateKeyPair('ecdsa-p256');
  assert.not.ok(pooled.includes(pair));
  await sleep(50);
  assert.is(maker.made.length, 2, 'nothing made after stop');
});

test('one key in the making at a time', async () => {
  let making = 0;
  let most = 0;
  const pool = startKeyPool({ keyType: 'rsa-2048', capacity: 5, quietMs: 0, generate: async () => {
    most = Math.max(most, ++making);
    try {
      return await generateKeyPairNow('ecdsa-p256');
    } finally {
      making--;
    }
  } });
  try {
    await until(() => pool.size === 5);
    for (let i = 0; i < 5; i++) pool.take('rsa-2048');
    await until(() => pool.size === 5);
    assert.is(most, 1);
  } finally {
    pool.stop();
  }
});

test('real keys from OpenSSL: distinct, the right size, and openssl checks them', async () => {
  const pool = startKeyPool({ keyType: 'rsa-2048', capacity: 3, quietMs: 0 });
  try {
    await until(() => pool.size === 3, 60_000);
    const pairs = [pool.take('rsa-2048')!, pool.take('rsa-2048')!, pool.take('rsa-2048')!];
    const pems = pairs.map((pair) => privateKeyToPem(pair.privateKey));
    assert.is(new Set(pems).size, 3, 'three different keys');
    for (const [index, pair] of pairs.entries()) {
      assert.is(pair.privateKey.asymmetricKeyDetails?.modulusLength, 2048);
      assert.is(pair.privateKey.asymmetricKeyDetails?.publicExponent, 65537n);
      const check = openssl(['rsa', '-check', '-noout'], pems[index]);
      assert.match(check.stdout, /RSA key ok/, check.stderr);
      const message = randomBytes(32);
      assert.ok(verify('sha256', message, pair.publicKey, sign('sha256', message, pair.privateKey)), 'its public key is its own');
    }
  } finally {
    pool.stop();
  }
});

test('pki init takes the pooled keys', async () => {
  const maker = countingMaker();
  const pool = startKeyPool({ keyType: 'ecdsa-p256', capacity: 16, quietMs: 60_000, generate: maker.generate });
  try {
    await until(() => pool.size === 16);
    const result = await initSandbox({ dir: tempDir(), cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256' } });
    const pooled = new Set(maker.made.map((key) => key.pair));
    const keys = [...result.material.values()].flatMap((m) => (m.keyPair ? [m.keyPair] : []));
    assert.is(keys.length, 16);
    assert.ok(keys.every((pair) => pooled.has(pair)), 'every key came from the pool');
    assert.is(pool.size, 0);
  } finally {
    pool.stop();
    removeTempDirs();
  }
});

test.run();
