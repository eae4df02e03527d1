import { createHash, createPublicKey, randomBytes, verify as nativeVerify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, chmodSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { KubetlsError } from '../../errors.js';
import type { KeyType } from '../certificates/keys.js';
import type { CertificateSigner } from '../certificates/x509-build.js';

/**
 * The cluster CA key inside a PKCS#11 token (SoftHSM 2), through the pkcs11js binding. The key is
 * generated in the token as sensitive and non-extractable, so it never exists as a file; every
 * signature the cluster CA makes is a C_Sign call. The token's files live in the sandbox (`hsm/`),
 * found through a SOFTHSM2_CONF written there.
 */

/** What the sandbox records so later commands (renew, fix, csr approve, break, add-node) sign through the token. */
export interface HsmRecord {
  /** The PKCS#11 module (libsofthsm2.so). */
  module: string;
  /** softhsm2.conf, relative to the sandbox. */
  config: string;
  /** The token directory, relative to the sandbox. */
  tokenDir: string;
  tokenLabel: string;
  keyLabel: string;
  /** The user PIN. A real HSM's PIN guards *use* of the key; it never lets anyone copy the key out. */
  pin: string;
  keyType: KeyType;
}

export const HSM_DIR = 'hsm';
const TOKEN_LABEL = 'kubetls';
const KEY_LABEL = 'kubernetes-ca';

/** Where Debian, Fedora and a source build put SoftHSM 2's module. */
export const SOFTHSM_MODULE_PATHS = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib64/pkcs11/libsofthsm2.so',
  '/usr/lib64/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
];

// ---- the binding ----------------------------------------------------------------------------
// pkcs11js is an optional dependency (a native addon): these are the few calls kubetls makes.

type Handle = Buffer;
interface Attribute {
  type: number;
  value?: number | boolean | string | Buffer;
}
interface TokenInfo {
  label: string;
  flags: number;
}
interface Pkcs11 {
  load(path: string): void;
  C_Initialize(): void;
  C_Finalize(): void;
  C_GetSlotList(tokenPresent?: boolean): Handle[];
  C_GetTokenInfo(slot: Handle): TokenInfo;
  C_InitToken(slot: Handle, pin?: string, label?: string): string;
  C_OpenSession(slot: Handle, flags: number): Handle;
  C_CloseSession(session: Handle): void;
  C_Login(session: Handle, userType: number, pin?: string): void;
  C_Logout(session: Handle): void;
  C_InitPIN(session: Handle, pin?: string): void;
  C_GenerateKeyPair(session: Handle, mechanism: { mechanism: number }, publicTemplate: Attribute[], privateTemplate: Attribute[]): { publicKey: Handle; privateKey: Handle };
  C_GetAttributeValue(session: Handle, object: Handle, template: Attribute[]): Attribute[];
  C_FindObjectsInit(session: Handle, template: Attribute[]): void;
  C_FindObjects(session: Handle, maxObjectCount: number): Handle[];
  C_FindObjectsFinal(session: Handle): void;
  C_SignInit(session: Handle, mechanism: { mechanism: number }, key: Handle): void;
  C_Sign(session: Handle, data: Buffer, signature: Buffer): Buffer;
}
type Binding = { PKCS11: new () => Pkcs11 } & Record<string, unknown>;

let binding: Binding | undefined;

/** The pkcs11js binding, or one line saying how to get it. */
export function loadBinding(): Binding {
  if (binding) return binding;
  try {
    binding = createRequire(import.meta.url)('pkcs11js') as Binding;
    return binding;
  } catch {
    throw KubetlsError.said('pki.errors.hsm-no-binding', {}, { key: 'pki.errors.hsm-no-binding-hint' });
  }
}

function constant(name: string): number {
  const value = loadBinding()[name];
  if (typeof value !== 'number') throw new Error(`pkcs11js has no constant ${name}`);
  return value;
}

/** SoftHSM's module: the one asked for, or the first standard location that exists; one line if none. */
export function findPkcs11Module(requested?: string): string {
  if (requested !== undefined) {
    if (!existsSync(requested)) {
      throw KubetlsError.said('pki.errors.hsm-no-module-at', { path: requested }, { key: 'pki.errors.hsm-no-module-at-hint' });
    }
    return resolve(requested);
  }
  const found = SOFTHSM_MODULE_PATHS.find((path) => existsSync(path));
  if (!found) {
    throw KubetlsError.said('pki.errors.hsm-no-softhsm', {}, { key: 'pki.errors.hsm-no-softhsm-hint' });
  }
  return found;
}

const modules = new Map<string, Pkcs11>();

/** Load the binding and the module now, so `--ca-in-hsm` fails before anything is written. */
export function assertPkcs11Usable(modulePath: string): void {
  moduleFor(modulePath);
}

function moduleFor(path: string): Pkcs11 {
  let module = modules.get(path);
  if (!module) {
    module = new (loadBinding().PKCS11)();
    try {
      module.load(path);
    } catch (error) {
      throw KubetlsError.said('pki.errors.hsm-module-load', { path, message: messageOf(error) }, { key: 'pki.errors.hsm-module-load-hint' });
    }
    modules.set(path, module);
  }
  return module;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

// ---- a token in the sandbox -----------------------------------------------------------------

function writeSoftHsmConfig(dir: string, record: Pick<HsmRecord, 'config' | 'tokenDir'>): string {
  const config = join(dir, record.config);
  const tokenDir = join(dir, record.tokenDir);
  mkdirSync(tokenDir, { recursive: true, mode: 0o700 });
  chmodSync(join(dir, HSM_DIR), 0o700);
  // written on every use, so a sandbox that was moved or copied still finds its own token
  writeFileSync(config, `# SoftHSM 2 for this kubetls sandbox (kubetls writes this file)\ndirectories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`, { mode: 0o600 });
  return config;
}

/**
 * Runs `work` with the library initialised on the sandbox's SoftHSM configuration, and always
 * finalises: each command opens the token for the time it signs, like a kubelet or a CA process would.
 * Everything inside is synchronous, so two signatures never interleave.
 */
function withLibrary<T>(dir: string, record: Pick<HsmRecord, 'module' | 'config' | 'tokenDir'>, work: (module: Pkcs11) => T): T {
  const module = moduleFor(record.module);
  const config = writeSoftHsmConfig(dir, record);
  const previous = process.env['SOFTHSM2_CONF'];
  process.env['SOFTHSM2_CONF'] = config;
  try {
    module.C_Initialize();
    try {
      return work(module);
    } finally {
      module.C_Finalize();
    }
  } finally {
    if (previous === undefined) delete process.env['SOFTHSM2_CONF'];
    else process.env['SOFTHSM2_CONF'] = previous;
  }
}

function tokenSlot(module: Pkcs11, label: string): Handle {
  const slot = module.C_GetSlotList(true).find((s) => module.C_GetTokenInfo(s).label.replace(/[\s\0]+$/, '') === label);
  if (!slot) throw KubetlsError.said('pki.errors.hsm-no-token', { label }, { key: 'pki.errors.hsm-recreate' });
  return slot;
}

function withUserSession<T>(module: Pkcs11, record: HsmRecord, work: (session: Handle) => T): T {
  const session = module.C_OpenSession(tokenSlot(module, record.tokenLabel), constant('CKF_SERIAL_SESSION') | constant('CKF_RW_SESSION'));
  try {
    try {
      module.C_Login(session, constant('CKU_USER'), record.pin);
    } catch (error) {
      throw KubetlsError.said('pki.errors.hsm-pin', { message: messageOf(error) });
    }
    try {
      return work(session);
    } finally {
      module.C_Logout(session);
    }
  } finally {
    module.C_CloseSession(session);
  }
}

export interface CreatedHsmKey {
  record: HsmRecord;
  signer: CertificateSigner;
}

/**
 * `pki init --ca-in-hsm`: initialise a token in `<dir>/hsm/tokens`, set its user PIN, and generate the
 * cluster CA key pair inside it (RSA or EC P-256 per the sandbox key type), private half non-extractable.
 */
export function createHsmCaKey(dir: string, keyType: KeyType, modulePath: string): CreatedHsmKey {
  const record: HsmRecord = {
    module: modulePath,
    config: `${HSM_DIR}/softhsm2.conf`,
    tokenDir: `${HSM_DIR}/tokens`,
    tokenLabel: TOKEN_LABEL,
    keyLabel: KEY_LABEL,
    pin: randomBytes(8).toString('hex'),
    keyType,
  };
  // the security officer's PIN only initialises the user PIN; nobody needs it afterwards
  const soPin = randomBytes(8).toString('hex');
  const publicKey = withLibrary(dir, record, (module) => {
    const free = module.C_GetSlotList(true).find((slot) => (module.C_GetTokenInfo(slot).flags & constant('CKF_TOKEN_INITIALIZED')) === 0);
    if (!free) throw KubetlsError.said('pki.errors.hsm-no-slot', { path: join(dir, record.tokenDir) }, { key: 'pki.errors.hsm-no-slot-hint' });
    // PKCS#11 labels are 32 characters, blank-padded
    module.C_InitToken(free, soPin, TOKEN_LABEL.padEnd(32, ' '));
    // SoftHSM moves an initialised token to a new slot id: find it again by label
    const session = module.C_OpenSession(tokenSlot(module, TOKEN_LABEL), constant('CKF_SERIAL_SESSION') | constant('CKF_RW_SESSION'));
    try {
      module.C_Login(session, constant('CKU_SO'), soPin);
      module.C_InitPIN(session, record.pin);
      module.C_Logout(session);
    } finally {
      module.C_CloseSession(session);
    }
    return withUserSession(module, record, (userSession) => generateKeyPairInToken(module, userSession, keyType));
  });
  return { record, signer: hsmSigner(dir, record, publicKey) };
}

// 1.2.840.10045.3.1.7 (prime256v1), DER-encoded, as CKA_EC_PARAMS takes it
const P256_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');

function generateKeyPairInToken(module: Pkcs11, session: Handle, keyType: KeyType): KeyObject {
  const label = { type: constant('CKA_LABEL'), value: KEY_LABEL };
  const id = { type: constant('CKA_ID'), value: createHash('sha1').update(KEY_LABEL).digest() };
  const token = { type: constant('CKA_TOKEN'), value: true };
  const privateTemplate: Attribute[] = [
    label, id, token,
    { type: constant('CKA_PRIVATE'), value: true },
    { type: constant('CKA_SENSITIVE'), value: true },
    { type: constant('CKA_EXTRACTABLE'), value: false },
    { type: constant('CKA_SIGN'), value: true },
  ];
  const publicTemplate: Attribute[] = [label, id, token, { type: constant('CKA_VERIFY'), value: true }];
  if (keyType === 'ecdsa-p256') {
    publicTemplate.push({ type: constant('CKA_EC_PARAMS'), value: P256_PARAMS });
    const pair = module.C_GenerateKeyPair(session, { mechanism: constant('CKM_EC_KEY_PAIR_GEN') }, publicTemplate, privateTemplate);
    return ecPublicKey(module, session, pair.publicKey);
  }
  publicTemplate.push(
    { type: constant('CKA_MODULUS_BITS'), value: Number(keyType.slice('rsa-'.length)) },
    { type: constant('CKA_PUBLIC_EXPONENT'), value: Buffer.from([1, 0, 1]) },
  );
  const pair = module.C_GenerateKeyPair(session, { mechanism: constant('CKM_RSA_PKCS_KEY_PAIR_GEN') }, publicTemplate, privateTemplate);
  return rsaPublicKey(module, session, pair.publicKey);
}

function attribute(module: Pkcs11, session: Handle, object: Handle, type: string): Buffer {
  const [value] = module.C_GetAttributeValue(session, object, [{ type: constant(type) }]);
  if (!Buffer.isBuffer(value?.value)) throw new Error(`the token returned no ${type}`);
  return value.value;
}

function rsaPublicKey(module: Pkcs11, session: Handle, object: Handle): KeyObject {
  const n = attribute(module, session, object, 'CKA_MODULUS');
  const e = attribute(module, session, object, 'CKA_PUBLIC_EXPONENT');
  return createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') }, format: 'jwk' });
}

function ecPublicKey(module: Pkcs11, session: Handle, object: Handle): KeyObject {
  let point = attribute(module, session, object, 'CKA_EC_POINT');
  // PKCS#11 wraps the point in a DER OCTET STRING (04 41 04 x y); some modules return it bare
  if (point.length === 67 && point[0] === 0x04 && point[1] === 0x41) point = point.subarray(2);
  if (point.length !== 65 || point[0] !== 0x04) throw new Error('the token returned an EC point kubetls does not understand');
  return createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
}

function findPrivateKey(module: Pkcs11, session: Handle, record: HsmRecord): Handle {
  module.C_FindObjectsInit(session, [
    { type: constant('CKA_CLASS'), value: constant('CKO_PRIVATE_KEY') },
    { type: constant('CKA_LABEL'), value: record.keyLabel },
  ]);
  try {
    const [key] = module.C_FindObjects(session, 1);
    if (!key) throw KubetlsError.said('pki.errors.hsm-no-key', { label: record.keyLabel }, { key: 'pki.errors.hsm-recreate' });
    return key;
  } finally {
    module.C_FindObjectsFinal(session);
  }
}

/**
 * A CertificateSigner whose private key stays in the token. The token signs; kubetls checks each
 * signature against the CA's public key, so a token holding some other key is caught at once.
 */
export function hsmSigner(dir: string, record: HsmRecord, publicKey: KeyObject): CertificateSigner {
  const isEc = publicKey.asymmetricKeyType === 'ec';
  return {
    publicKey,
    sign: async (data) => {
      const signature = withLibrary(dir, record, (module) =>
        withUserSession(module, record, (session) => {
          const key = findPrivateKey(module, session, record);
          if (isEc) {
            // CKM_ECDSA signs a digest we supply and returns r || s
            module.C_SignInit(session, { mechanism: constant('CKM_ECDSA') }, key);
            const raw = module.C_Sign(session, createHash('sha256').update(data).digest(), Buffer.alloc(132));
            return ecdsaRawToDer(raw);
          }
          module.C_SignInit(session, { mechanism: constant('CKM_SHA256_RSA_PKCS') }, key);
          return Buffer.from(module.C_Sign(session, data, Buffer.alloc(1024)));
        }),
      );
      if (!nativeVerify('sha256', data, publicKey, signature)) {
        throw KubetlsError.said('pki.errors.hsm-key-mismatch', {}, { key: 'pki.errors.hsm-recreate' });
      }
      return signature;
    },
  };
}

/** r || s (PKCS#11, IEEE P1363) to the DER ECDSA-Sig-Value X.509 carries. */
export function ecdsaRawToDer(raw: Buffer): Buffer {
  const half = raw.length / 2;
  const integer = (bytes: Buffer) => {
    let value = bytes;
    while (value.length > 1 && value[0] === 0 && ((value[1] ?? 0) & 0x80) === 0) value = value.subarray(1);
    if ((value[0] ?? 0) & 0x80) value = Buffer.concat([Buffer.from([0]), value]);
    return Buffer.concat([Buffer.from([0x02, value.length]), value]);
  };
  const body = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** The token's view of the CA key, for lessons and tests: is it sensitive, can it be extracted? */
export interface HsmKeyFacts {
  tokenLabel: string;
  keyLabel: string;
  sensitive: boolean;
  extractable: boolean;
  /** What C_GetAttributeValue says when asked for the private key's secret value. */
  secretReadable: boolean;
}

export function describeHsmKey(dir: string, record: HsmRecord): HsmKeyFacts {
  return withLibrary(dir, record, (module) =>
    withUserSession(module, record, (session) => {
      const key = findPrivateKey(module, session, record);
      const flag = (type: string) => {
        const [value] = module.C_GetAttributeValue(session, key, [{ type: constant(type) }]);
        return Buffer.isBuffer(value?.value) ? value.value[0] === 1 : value?.value === true;
      };
      let secretReadable = true;
      try {
        module.C_GetAttributeValue(session, key, [{ type: constant(record.keyType === 'ecdsa-p256' ? 'CKA_VALUE' : 'CKA_PRIVATE_EXPONENT') }]);
      } catch {
        // CKR_ATTRIBUTE_SENSITIVE: the token will not hand the secret out
        secretReadable = false;
      }
      return { tokenLabel: record.tokenLabel, keyLabel: record.keyLabel, sensitive: flag('CKA_SENSITIVE'), extractable: flag('CKA_EXTRACTABLE'), secretReadable };
    }),
  );
}
