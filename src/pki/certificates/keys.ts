import { createPrivateKey, createPublicKey, generateKeyPair as generateKeyPairCallback, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { KubetlsError } from '../../errors.js';

const generateKeyPairAsync = promisify(generateKeyPairCallback);

/** The key types kubeadm's `encryptionAlgorithm` accepts (ClusterConfiguration, v1beta4). */
export const KEY_TYPES = ['rsa-2048', 'rsa-3072', 'rsa-4096', 'ecdsa-p256'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function isKeyType(value: string): value is KeyType {
  return (KEY_TYPES as readonly string[]).includes(value);
}

/** Keys made ahead of time that generateKeyPair hands out first: the app's key pool (key-pool.ts). */
export interface KeySupply {
  take(keyType: KeyType): KeyPair | undefined;
}

let supply: KeySupply | undefined;

/** Set by key-pool.ts while a pool runs; the CLI never has one. */
export function useKeySupply(next: KeySupply | undefined): void {
  supply = next;
}

/** A new key pair: from the app's key pool when it holds one of this type, otherwise made now. */
export async function generateKeyPair(keyType: KeyType): Promise<KeyPair> {
  return supply?.take(keyType) ?? generateKeyPairNow(keyType);
}

/**
 * OpenSSL's own key generation (RSA with e = 65537 and 2048 bits or more: SP 800-56B), native and
 * off the main thread (libuv's pool), so several keys are made at once and the UI keeps drawing.
 */
export async function generateKeyPairNow(keyType: KeyType): Promise<KeyPair> {
  if (keyType === 'ecdsa-p256') return generateKeyPairAsync('ec', { namedCurve: 'P-256' });
  return generateKeyPairAsync('rsa', { modulusLength: Number(keyType.slice('rsa-'.length)), publicExponent: 0x10001 });
}

/** PEM as kubeadm writes it (client-go keyutil): PKCS#1 for RSA, SEC 1 for EC. */
export function privateKeyToPem(privateKey: KeyObject): string {
  const type = privateKey.asymmetricKeyType === 'rsa' ? 'pkcs1' : privateKey.asymmetricKeyType === 'ec' ? 'sec1' : 'pkcs8';
  return privateKey.export({ type, format: 'pem' }) as string;
}

export function publicKeyToPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }) as string;
}

/** A private key from PEM or DER, with a learner-readable error for the usual mistakes. */
export function loadPrivateKey(data: Buffer, source: string): KeyPair {
  const text = data.toString('latin1');
  if (text.includes('ENCRYPTED PRIVATE KEY') || /Proc-Type:\s*4,ENCRYPTED/.test(text)) {
    throw KubetlsError.said('pki.errors.key-encrypted', { source }, { key: 'pki.errors.key-encrypted-hint' });
  }
  try {
    const privateKey = text.includes('-----BEGIN') ? createPrivateKey(text) : createPrivateKey({ key: data, format: 'der', type: 'pkcs8' });
    return { privateKey, publicKey: createPublicKey(privateKey) };
  } catch {
    throw KubetlsError.said('pki.errors.key-unreadable', { source }, { key: 'pki.errors.key-unreadable-hint' });
  }
}

export function describeKeyType(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa') return `RSA ${details?.modulusLength ?? '?'} bit`;
  if (key.asymmetricKeyType === 'ec') return `ECDSA ${details?.namedCurve === 'prime256v1' ? 'P-256' : (details?.namedCurve ?? '?')}`;
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519';
  return key.asymmetricKeyType ?? 'unknown';
}

export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  return a.export({ type: 'spki', format: 'der' }).equals(b.export({ type: 'spki', format: 'der' }));
}
