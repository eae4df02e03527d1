import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sequenceElements } from '../../src/pki/certificates/der.js';
import { decodePemBlocks, encodePem } from '../../src/pki/certificates/pem.js';

/**
 * Certificate chains that each put one rule of Go's crypto/x509 Certificate.Verify to the test, made
 * by the openssl CLI so that kubetls's own code plays no part in them. Two tables: the certificates
 * (rows that differ from a few defaults only where the rule needs it) and the cases (a leaf, the
 * files that go with it, and how to verify). Variants of one CA share its subject and key, so the
 * same leaf chains through whichever variant a case hands to the verifier.
 */

export type KeyUsageName = 'serverAuth' | 'clientAuth' | 'any';

export interface ChainCase {
  /** `rule.variant` */
  id: string;
  rule: string;
  description: string;
  /** PEM file: the leaf, then any certificates sent with it (a fullchain). */
  leaf: string;
  roots: string[];
  intermediates: string[];
  at: Date;
  dnsName?: string;
  keyUsages?: KeyUsageName[];
}

export interface ChainCorpus {
  dir: string;
  cases: ChainCase[];
}

type KeyAlgorithm = 'p256' | 'p384' | 'p521' | 'ed25519' | 'rsa2048' | 'rsa1024' | 'rsa512' | 'dsa2048';

/** Keys by name; certificates that share a name share the key. */
const KEYS: Record<string, KeyAlgorithm> = {
  root: 'p256', int: 'p256', int2: 'p256', int3: 'p256', int4: 'p256', leaf: 'p256', sub: 'p256', self: 'p256',
  cross: 'p256', 'root-other': 'p256', 'root-untrusted': 'p256', 'int-other': 'p256',
  rsa: 'rsa2048', p384: 'p384', p521: 'p521', ed25519: 'ed25519', dsa: 'dsa2048', rsa1024: 'rsa1024', rsa512: 'rsa512',
};

/** DSA keys take two steps (parameters, then the key): see generateKey. */
const GENPKEY: Record<Exclude<KeyAlgorithm, 'dsa2048'>, string[]> = {
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  p521: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  ed25519: ['-algorithm', 'ed25519'],
  rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsa1024: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
  rsa512: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:512'],
};

/** Extension lines for openssl's extfile, by name; `null` in an override drops the default. */
type Extensions = Record<string, string | null>;

/**
 * After signing: `flip-signature` and `outer-algorithm` edit the certificate as signed;
 * `negative-serial` and `duplicate-san` edit the TBS and sign it again with the issuer's key
 * (openssl's config cannot say either).
 */
type DerPatch = 'flip-signature' | 'outer-algorithm' | 'negative-serial' | 'duplicate-san';

interface CertSpec {
  name: string;
  subject: string;
  key: string;
  /** Name of the issuing certificate; absent for self-signed. */
  issuer?: string;
  ext: Extensions;
  notBefore: string;
  notAfter: string;
  /** openssl -md; the config's default is sha256 (Ed25519 takes none). */
  md?: string;
  sigopt?: string[];
  patch?: DerPatch;
}

const ROOT_SUBJECT = '/O=Corpus/CN=Corpus Root';
const INT_SUBJECT = '/O=Corpus/CN=Corpus Intermediate';
const AT = '2030-06-01T00:00:00Z';
const ROOT_DATES = { notBefore: '20200101000000Z', notAfter: '20450101000000Z' };
const CA_DATES = { notBefore: '20220101000000Z', notAfter: '20400101000000Z' };
/** Leaves are valid 2025-01-01T00:00:00Z .. 2035-01-01T00:00:00Z; cases verify at 2030-06-01 unless they say. */
const LEAF_DATES = { notBefore: '20250101000000Z', notAfter: '20350101000000Z' };

const ROOT_EXT: Extensions = {
  basicConstraints: 'critical,CA:TRUE', keyUsage: 'critical,keyCertSign,cRLSign', subjectKeyIdentifier: 'hash',
};
const CA_EXT: Extensions = { ...ROOT_EXT, authorityKeyIdentifier: 'keyid:always' };
const LEAF_EXT: Extensions = {
  basicConstraints: 'critical,CA:FALSE', keyUsage: 'critical,digitalSignature', extendedKeyUsage: 'serverAuth',
  subjectKeyIdentifier: 'hash', authorityKeyIdentifier: 'keyid:always', subjectAltName: 'DNS:leaf.example.com',
};
const UNKNOWN_OID = '1.3.6.1.4.1.55555.1';

type Overrides = Partial<Omit<CertSpec, 'name' | 'issuer'>>;

function root(name: string, overrides: Overrides = {}): CertSpec {
  return { name, subject: ROOT_SUBJECT, key: 'root', ...ROOT_DATES, ...overrides, ext: { ...ROOT_EXT, ...overrides.ext } };
}

/** A CA under `issuer`; by default a variant of the corpus intermediate (same subject and key). */
function ca(name: string, issuer: string, overrides: Overrides = {}): CertSpec {
  return { name, issuer, subject: INT_SUBJECT, key: 'int', ...CA_DATES, ...overrides, ext: { ...CA_EXT, ...overrides.ext } };
}

/** A TLS server leaf under `issuer` (self-signed when undefined), for leaf.example.com unless overridden. */
function leaf(name: string, issuer: string | undefined, overrides: Overrides = {}): CertSpec {
  return { name, issuer, subject: '/CN=leaf.example.com', key: 'leaf', ...LEAF_DATES, ...overrides, ext: { ...LEAF_EXT, ...overrides.ext } };
}

/** Issuers come before what they sign. */
const CERTS: CertSpec[] = [
  root('root'),
  ca('int', 'root'),
  leaf('leaf', 'int'),

  // basicConstraints and pathLen (variants of root and int: the same leaf chains through each)
  ca('int-ca-false', 'root', { ext: { basicConstraints: 'critical,CA:FALSE' } }),
  ca('int-no-bc', 'root', { ext: { basicConstraints: null } }),
  ca('int-v1', 'root', { ext: {} }),
  root('root-ca-false', { ext: { basicConstraints: 'critical,CA:FALSE' } }),
  root('root-no-bc', { ext: { basicConstraints: null } }),
  root('root-v1', { ext: {} }),
  ca('int-pathlen0', 'root', { ext: { basicConstraints: 'critical,CA:TRUE,pathlen:0' } }),
  ca('int-pathlen1', 'root', { ext: { basicConstraints: 'critical,CA:TRUE,pathlen:1' } }),
  root('root-pathlen0', { ext: { basicConstraints: 'critical,CA:TRUE,pathlen:0' } }),
  root('root-pathlen1', { ext: { basicConstraints: 'critical,CA:TRUE,pathlen:1' } }),
  ca('int2', 'int', { subject: '/O=Corpus/CN=Corpus Intermediate 2', key: 'int2' }),
  leaf('leaf2', 'int2'),
  leaf('leaf-by-root', 'root'),

  // keyUsage on issuers
  ca('int-ku-no-certsign', 'root', { ext: { keyUsage: 'critical,digitalSignature,cRLSign' } }),
  ca('int-no-ku', 'root', { ext: { keyUsage: null } }),
  root('root-ku-no-certsign', { ext: { keyUsage: 'critical,digitalSignature,cRLSign' } }),
  leaf('leaf-certsign', 'int', { ext: { keyUsage: 'critical,digitalSignature,keyCertSign' } }),
  leaf('leaf-by-leaf', 'leaf-certsign', { subject: '/CN=sub.example.com', key: 'sub', ext: { subjectAltName: 'DNS:sub.example.com' } }),

  // extended key usage
  leaf('leaf-client', 'int', { ext: { extendedKeyUsage: 'clientAuth' } }),
  leaf('leaf-no-eku', 'int', { ext: { extendedKeyUsage: null } }),
  leaf('leaf-any-eku', 'int', { ext: { extendedKeyUsage: 'anyExtendedKeyUsage' } }),
  leaf('leaf-code-signing', 'int', { ext: { extendedKeyUsage: 'codeSigning' } }),
  ca('int-eku-client', 'root', { ext: { extendedKeyUsage: 'clientAuth' } }),
  ca('int-eku-server', 'root', { ext: { extendedKeyUsage: 'serverAuth' } }),
  root('root-eku-client', { ext: { extendedKeyUsage: 'clientAuth' } }),

  // name constraints
  ca('int-nc-dns', 'root', { ext: { nameConstraints: 'critical,permitted;DNS:example.com' } }),
  ca('int-nc-dot', 'root', { ext: { nameConstraints: 'critical,permitted;DNS:.example.com' } }),
  ca('int-nc-dns-excluded', 'root', { ext: { nameConstraints: 'critical,excluded;DNS:bad.example.com' } }),
  ca('int-nc-ip', 'root', { ext: { nameConstraints: 'critical,permitted;IP:10.0.0.0/255.0.0.0' } }),
  ca('int-nc-ip-excluded', 'root', { ext: { nameConstraints: 'critical,excluded;IP:10.0.0.0/255.0.0.0' } }),
  ca('int-nc-ipv6', 'root', { ext: { nameConstraints: 'critical,permitted;IP:2001:db8::/ffff:ffff::' } }),
  ca('int-nc-email', 'root', { ext: { nameConstraints: 'critical,permitted;email:example.com' } }),
  ca('int-nc-uri', 'root', { ext: { nameConstraints: 'critical,permitted;URI:.example.com' } }),
  ca('int-nc-dirname', 'root', { ext: { nameConstraints: 'critical,permitted;dirName:nc_dirname' } }),
  root('root-nc-dns', { ext: { nameConstraints: 'critical,permitted;DNS:example.com' } }),
  root('root-nc-ip-excluded', { ext: { nameConstraints: 'critical,excluded;IP:10.0.0.0/255.0.0.0' } }),
  leaf('leaf-org', 'int', { subject: '/CN=a.example.org', ext: { subjectAltName: 'DNS:a.example.org' } }),
  leaf('leaf-deep', 'int', { subject: '/CN=a.b.example.com', ext: { subjectAltName: 'DNS:a.b.example.com' } }),
  leaf('leaf-apex', 'int', { subject: '/CN=example.com', ext: { subjectAltName: 'DNS:example.com' } }),
  leaf('leaf-badexample', 'int', { subject: '/CN=badexample.com', ext: { subjectAltName: 'DNS:badexample.com' } }),
  leaf('leaf-bad', 'int', { subject: '/CN=bad.example.com', ext: { subjectAltName: 'DNS:bad.example.com' } }),
  leaf('leaf-ip', 'int', { subject: '/CN=10.1.2.3', ext: { subjectAltName: 'IP:10.1.2.3' } }),
  leaf('leaf-ip-other', 'int', { subject: '/CN=192.168.1.1', ext: { subjectAltName: 'IP:192.168.1.1' } }),
  leaf('leaf-ipv6', 'int', { subject: '/CN=ipv6 leaf', ext: { subjectAltName: 'IP:2001:db8::1' } }),
  leaf('leaf-ipv6-other', 'int', { subject: '/CN=ipv6 leaf', ext: { subjectAltName: 'IP:2001:db9::1' } }),
  leaf('leaf-email', 'int', { subject: '/CN=mail leaf', ext: { subjectAltName: 'email:user@example.com' } }),
  leaf('leaf-email-other', 'int', { subject: '/CN=mail leaf', ext: { subjectAltName: 'email:user@example.org' } }),
  leaf('leaf-uri', 'int', { subject: '/CN=uri leaf', ext: { subjectAltName: 'URI:https://app.example.com/x' } }),
  leaf('leaf-uri-other', 'int', { subject: '/CN=uri leaf', ext: { subjectAltName: 'URI:https://app.example.org/x' } }),
  leaf('leaf-no-names', 'int', { subject: '/O=Corpus/CN=Corpus Leaf', ext: { subjectAltName: null } }),
  leaf('leaf-cn-only', 'int', { subject: '/CN=cn.example.com', ext: { subjectAltName: null } }),
  leaf('leaf-cn-org', 'int', { subject: '/CN=a.example.org', ext: { subjectAltName: null } }),

  // critical extensions
  leaf('leaf-unknown-critical', 'int', { ext: { [UNKNOWN_OID]: 'critical,ASN1:NULL' } }),
  leaf('leaf-unknown-noncritical', 'int', { ext: { [UNKNOWN_OID]: 'ASN1:NULL' } }),
  leaf('leaf-known-critical', 'int', { ext: { subjectAltName: 'critical,DNS:leaf.example.com', extendedKeyUsage: 'critical,serverAuth' } }),
  ca('int-unknown-critical', 'root', { ext: { [UNKNOWN_OID]: 'critical,ASN1:NULL' } }),
  ca('int-unknown-noncritical', 'root', { ext: { [UNKNOWN_OID]: 'ASN1:NULL' } }),
  root('root-unknown-critical', { ext: { [UNKNOWN_OID]: 'critical,ASN1:NULL' } }),

  // signature algorithms: each root signs a leaf straight away
  root('root-rsa', { subject: '/O=Corpus/CN=Corpus RSA Root', key: 'rsa' }),
  root('root-p384', { subject: '/O=Corpus/CN=Corpus P-384 Root', key: 'p384', md: 'sha384' }),
  root('root-p521', { subject: '/O=Corpus/CN=Corpus P-521 Root', key: 'p521', md: 'sha512' }),
  root('root-ed25519', { subject: '/O=Corpus/CN=Corpus Ed25519 Root', key: 'ed25519' }),
  root('root-dsa', { subject: '/O=Corpus/CN=Corpus DSA Root', key: 'dsa' }),
  root('root-rsa1024', { subject: '/O=Corpus/CN=Corpus RSA-1024 Root', key: 'rsa1024' }),
  root('root-rsa512', { subject: '/O=Corpus/CN=Corpus RSA-512 Root', key: 'rsa512' }),
  root('root-self-sha1', { md: 'sha1' }),
  leaf('leaf-rsa-sha256', 'root-rsa'),
  leaf('leaf-rsa-sha384', 'root-rsa', { md: 'sha384' }),
  leaf('leaf-rsa-sha512', 'root-rsa', { md: 'sha512' }),
  leaf('leaf-rsa-pss', 'root-rsa', { sigopt: ['rsa_padding_mode:pss', 'rsa_pss_saltlen:32', 'rsa_mgf1_md:sha256'] }),
  leaf('leaf-rsa-pss-salt20', 'root-rsa', { sigopt: ['rsa_padding_mode:pss', 'rsa_pss_saltlen:20', 'rsa_mgf1_md:sha256'] }),
  leaf('leaf-rsa-pss-mgf1-sha1', 'root-rsa', { sigopt: ['rsa_padding_mode:pss', 'rsa_pss_saltlen:32', 'rsa_mgf1_md:sha1'] }),
  leaf('leaf-rsa-sha1', 'root-rsa', { md: 'sha1' }),
  leaf('leaf-rsa-md5', 'root-rsa', { md: 'md5' }),
  leaf('leaf-rsa-flipped', 'root-rsa', { patch: 'flip-signature' }),
  leaf('leaf-ecdsa-sha1', 'root', { md: 'sha1' }),
  leaf('leaf-p256-sha512', 'root', { md: 'sha512' }),
  leaf('leaf-p384-sha384', 'root-p384', { md: 'sha384' }),
  leaf('leaf-p521-sha512', 'root-p521', { md: 'sha512' }),
  leaf('leaf-ed25519', 'root-ed25519'),
  leaf('leaf-dsa-sha256', 'root-dsa'),
  leaf('leaf-rsa1024-issuer', 'root-rsa1024'),
  leaf('leaf-rsa512-issuer', 'root-rsa512'),
  leaf('leaf-rsa512-key', 'root', { key: 'rsa512', ext: { keyUsage: 'critical,digitalSignature,keyEncipherment' } }),
  leaf('leaf-ecdsa-flipped', 'root', { patch: 'flip-signature' }),
  leaf('leaf-outer-algorithm', 'root', { patch: 'outer-algorithm' }),
  ca('int-sha1', 'root', { md: 'sha1' }),

  // validity
  ca('int-expired', 'root', { notAfter: '20290101000000Z' }),
  root('root-expired', { notAfter: '20290101000000Z' }),
  root('root-not-yet-valid', { notBefore: '20310101000000Z' }),

  // host names
  leaf('leaf-wildcard', 'int', { subject: '/CN=*.example.com', ext: { subjectAltName: 'DNS:*.example.com' } }),
  leaf('leaf-partial-wildcard', 'int', { subject: '/CN=f*.example.com', ext: { subjectAltName: 'DNS:f*.example.com' } }),
  leaf('leaf-ip-in-dns', 'int', { subject: '/CN=10.1.2.3', ext: { subjectAltName: 'DNS:10.1.2.3' } }),
  leaf('leaf-san-trailing-dot', 'int', { ext: { subjectAltName: 'DNS:leaf.example.com.' } }),

  // paths
  root('root-other', { subject: '/O=Corpus/CN=Corpus Other Root', key: 'root-other' }),
  root('root-impostor', { key: 'root-other' }),
  root('root-untrusted', { subject: '/O=Corpus/CN=Corpus Untrusted Root', key: 'root-untrusted' }),
  ca('cross-untrusted', 'root-untrusted', { subject: '/O=Corpus/CN=Corpus Cross CA', key: 'cross' }),
  ca('cross-trusted', 'root', { subject: '/O=Corpus/CN=Corpus Cross CA', key: 'cross' }),
  leaf('leaf-cross', 'cross-trusted'),
  ca('int3', 'int2', { subject: '/O=Corpus/CN=Corpus Intermediate 3', key: 'int3' }),
  ca('int4', 'int3', { subject: '/O=Corpus/CN=Corpus Intermediate 4', key: 'int4' }),
  leaf('leaf-long', 'int4'),
  ca('int-other', 'root-other', { subject: '/O=Corpus/CN=Corpus Other Intermediate', key: 'int-other' }),
  leaf('leaf-self-signed', undefined, { subject: '/CN=self.example.com', key: 'self', ext: { subjectAltName: 'DNS:self.example.com', authorityKeyIdentifier: null } }),

  // encodings
  leaf('leaf-aki-critical', 'int', { ext: { authorityKeyIdentifier: 'critical,keyid:always' } }),
  ca('int-ski-critical', 'root', { ext: { subjectKeyIdentifier: 'critical,hash' } }),
  leaf('leaf-ski-critical', 'int', { ext: { subjectKeyIdentifier: 'critical,hash' } }),
  leaf('leaf-aki-mismatch', 'int', { ext: { authorityKeyIdentifier: `DER:30:16:80:14:${'ab:'.repeat(19)}ab` } }),
  ca('int-no-key-ids', 'root', { ext: { subjectKeyIdentifier: null, authorityKeyIdentifier: null } }),
  leaf('leaf-no-key-ids', 'int', { ext: { subjectKeyIdentifier: null, authorityKeyIdentifier: null } }),
  leaf('leaf-negative-serial', 'int', { patch: 'negative-serial' }),
  ca('int-negative-serial', 'root', { patch: 'negative-serial' }),
  root('root-negative-serial', { patch: 'negative-serial' }),
  leaf('leaf-ip-8-bytes', 'int', { ext: { subjectAltName: 'DER:30:0a:87:08:0a:00:00:01:ff:ff:ff:00' } }),
  leaf('leaf-duplicate-san', 'int', { patch: 'duplicate-san' }),
  leaf('leaf-empty-san', 'int', { ext: { subjectAltName: 'DER:30:00' } }),
];

interface CaseSpec {
  id: string;
  description: string;
  /** Certificate names: the leaf, then any sent with it in the same file. */
  leaf: string | string[];
  roots: string[];
  intermediates?: string[];
  at?: string;
  dnsName?: string;
  keyUsages?: KeyUsageName[];
}

const CASES: CaseSpec[] = [
  // basicConstraints
  { id: 'basic.intermediate-ca-true', description: 'intermediate CA:TRUE (the baseline chain)', leaf: 'leaf', intermediates: ['int'], roots: ['root'] },
  { id: 'basic.intermediate-ca-false', description: 'intermediate with CA:FALSE', leaf: 'leaf', intermediates: ['int-ca-false'], roots: ['root'] },
  { id: 'basic.intermediate-no-bc', description: 'v3 intermediate without basicConstraints', leaf: 'leaf', intermediates: ['int-no-bc'], roots: ['root'] },
  { id: 'basic.intermediate-v1', description: 'v1 intermediate (no extensions at all)', leaf: 'leaf', intermediates: ['int-v1'], roots: ['root'] },
  { id: 'basic.root-ca-false', description: 'root with CA:FALSE', leaf: 'leaf', intermediates: ['int'], roots: ['root-ca-false'] },
  { id: 'basic.root-no-bc', description: 'v3 root without basicConstraints', leaf: 'leaf', intermediates: ['int'], roots: ['root-no-bc'] },
  { id: 'basic.root-v1', description: 'v1 root (no extensions at all)', leaf: 'leaf', intermediates: ['int'], roots: ['root-v1'] },
  { id: 'basic.pathlen0-direct', description: 'intermediate pathlen:0 signing the leaf', leaf: 'leaf', intermediates: ['int-pathlen0'], roots: ['root'] },
  { id: 'basic.pathlen0-one-below', description: 'intermediate pathlen:0 with one intermediate below it', leaf: 'leaf2', intermediates: ['int2', 'int-pathlen0'], roots: ['root'] },
  { id: 'basic.pathlen1-one-below', description: 'intermediate pathlen:1 with one intermediate below it', leaf: 'leaf2', intermediates: ['int2', 'int-pathlen1'], roots: ['root'] },
  { id: 'basic.root-pathlen0-direct', description: 'root pathlen:0 signing the leaf', leaf: 'leaf-by-root', roots: ['root-pathlen0'] },
  { id: 'basic.root-pathlen0-one-below', description: 'root pathlen:0 with one intermediate below it', leaf: 'leaf', intermediates: ['int'], roots: ['root-pathlen0'] },
  { id: 'basic.root-pathlen1-two-below', description: 'root pathlen:1 with two intermediates below it', leaf: 'leaf2', intermediates: ['int2', 'int'], roots: ['root-pathlen1'] },

  // keyUsage on issuers (and on leaves)
  { id: 'keyusage.intermediate-certsign', description: 'intermediate keyUsage keyCertSign', leaf: 'leaf', intermediates: ['int'], roots: ['root'] },
  { id: 'keyusage.intermediate-no-certsign', description: 'intermediate keyUsage without keyCertSign', leaf: 'leaf', intermediates: ['int-ku-no-certsign'], roots: ['root'] },
  { id: 'keyusage.intermediate-none', description: 'intermediate without keyUsage', leaf: 'leaf', intermediates: ['int-no-ku'], roots: ['root'] },
  { id: 'keyusage.root-no-certsign', description: 'root keyUsage without keyCertSign', leaf: 'leaf', intermediates: ['int'], roots: ['root-ku-no-certsign'] },
  { id: 'keyusage.leaf-certsign', description: 'leaf (CA:FALSE) with keyCertSign, verified as a leaf', leaf: 'leaf-certsign', intermediates: ['int'], roots: ['root'] },
  { id: 'keyusage.leaf-as-issuer', description: 'leaf (CA:FALSE, keyCertSign) used as the issuer of another leaf', leaf: 'leaf-by-leaf', intermediates: ['leaf-certsign', 'int'], roots: ['root'], dnsName: 'sub.example.com' },

  // extended key usage
  { id: 'eku.server-as-server', description: 'serverAuth leaf, default usages', leaf: 'leaf', intermediates: ['int'], roots: ['root'] },
  { id: 'eku.server-as-client', description: 'serverAuth leaf checked for clientAuth', leaf: 'leaf', intermediates: ['int'], roots: ['root'], keyUsages: ['clientAuth'] },
  { id: 'eku.client-as-server', description: 'clientAuth leaf checked for serverAuth (the default)', leaf: 'leaf-client', intermediates: ['int'], roots: ['root'] },
  { id: 'eku.client-as-client', description: 'clientAuth leaf checked for clientAuth', leaf: 'leaf-client', intermediates: ['int'], roots: ['root'], keyUsages: ['clientAuth'] },
  { id: 'eku.none', description: 'leaf without extendedKeyUsage', leaf: 'leaf-no-eku', intermediates: ['int'], roots: ['root'] },
  { id: 'eku.none-as-client', description: 'leaf without extendedKeyUsage checked for clientAuth', leaf: 'leaf-no-eku', intermediates: ['int'], roots: ['root'], keyUsages: ['clientAuth'] },
  { id: 'eku.any-extended-key-usage', description: 'leaf with anyExtendedKeyUsage', leaf: 'leaf-any-eku', intermediates: ['int'], roots: ['root'] },
  { id: 'eku.code-signing', description: 'leaf with codeSigning only', leaf: 'leaf-code-signing', intermediates: ['int'], roots: ['root'] },
  { id: 'eku.intermediate-client-only', description: 'intermediate EKU clientAuth over a serverAuth leaf', leaf: 'leaf', intermediates: ['int-eku-client'], roots: ['root'] },
  { id: 'eku.intermediate-client-only-client-leaf', description: 'intermediate EKU clientAuth over a clientAuth leaf, checked for clientAuth', leaf: 'leaf-client', intermediates: ['int-eku-client'], roots: ['root'], keyUsages: ['clientAuth'] },
  { id: 'eku.intermediate-server', description: 'intermediate EKU serverAuth over a serverAuth leaf', leaf: 'leaf', intermediates: ['int-eku-server'], roots: ['root'] },
  { id: 'eku.root-client-only', description: 'root EKU clientAuth over a serverAuth chain', leaf: 'leaf', intermediates: ['int'], roots: ['root-eku-client'] },
  { id: 'eku.usages-any', description: "clientAuth leaf with keyUsages ['any']", leaf: 'leaf-client', intermediates: ['int'], roots: ['root'], keyUsages: ['any'] },
  { id: 'eku.usages-any-code-signing', description: "codeSigning leaf with keyUsages ['any']", leaf: 'leaf-code-signing', intermediates: ['int'], roots: ['root'], keyUsages: ['any'] },
  { id: 'eku.usages-either', description: "clientAuth leaf with keyUsages ['serverAuth', 'clientAuth']", leaf: 'leaf-client', intermediates: ['int'], roots: ['root'], keyUsages: ['serverAuth', 'clientAuth'] },

  // name constraints
  { id: 'nc.dns-permitted-inside', description: 'intermediate permits DNS example.com; leaf.example.com', leaf: 'leaf', intermediates: ['int-nc-dns'], roots: ['root'] },
  { id: 'nc.dns-permitted-apex', description: 'intermediate permits DNS example.com; example.com itself', leaf: 'leaf-apex', intermediates: ['int-nc-dns'], roots: ['root'] },
  { id: 'nc.dns-permitted-deep', description: 'intermediate permits DNS example.com; a.b.example.com', leaf: 'leaf-deep', intermediates: ['int-nc-dns'], roots: ['root'] },
  { id: 'nc.dns-permitted-outside', description: 'intermediate permits DNS example.com; a.example.org', leaf: 'leaf-org', intermediates: ['int-nc-dns'], roots: ['root'] },
  { id: 'nc.dns-permitted-not-a-label', description: 'intermediate permits DNS example.com; badexample.com', leaf: 'leaf-badexample', intermediates: ['int-nc-dns'], roots: ['root'] },
  { id: 'nc.dns-leading-dot-subdomain', description: 'intermediate permits DNS .example.com; leaf.example.com', leaf: 'leaf', intermediates: ['int-nc-dot'], roots: ['root'] },
  { id: 'nc.dns-leading-dot-apex', description: 'intermediate permits DNS .example.com; example.com itself', leaf: 'leaf-apex', intermediates: ['int-nc-dot'], roots: ['root'] },
  { id: 'nc.dns-excluded-match', description: 'intermediate excludes DNS bad.example.com; bad.example.com', leaf: 'leaf-bad', intermediates: ['int-nc-dns-excluded'], roots: ['root'] },
  { id: 'nc.dns-excluded-other', description: 'intermediate excludes DNS bad.example.com; leaf.example.com', leaf: 'leaf', intermediates: ['int-nc-dns-excluded'], roots: ['root'] },
  { id: 'nc.ip-permitted-inside', description: 'intermediate permits IP 10.0.0.0/8; 10.1.2.3', leaf: 'leaf-ip', intermediates: ['int-nc-ip'], roots: ['root'] },
  { id: 'nc.ip-permitted-outside', description: 'intermediate permits IP 10.0.0.0/8; 192.168.1.1', leaf: 'leaf-ip-other', intermediates: ['int-nc-ip'], roots: ['root'] },
  { id: 'nc.ip-permitted-dns-leaf', description: 'intermediate permits IP 10.0.0.0/8 only; a DNS-only leaf', leaf: 'leaf', intermediates: ['int-nc-ip'], roots: ['root'] },
  { id: 'nc.ip-excluded-match', description: 'intermediate excludes IP 10.0.0.0/8; 10.1.2.3', leaf: 'leaf-ip', intermediates: ['int-nc-ip-excluded'], roots: ['root'] },
  { id: 'nc.ip-excluded-other', description: 'intermediate excludes IP 10.0.0.0/8; 192.168.1.1', leaf: 'leaf-ip-other', intermediates: ['int-nc-ip-excluded'], roots: ['root'] },
  { id: 'nc.ipv6-permitted-inside', description: 'intermediate permits IP 2001:db8::/32; 2001:db8::1', leaf: 'leaf-ipv6', intermediates: ['int-nc-ipv6'], roots: ['root'] },
  { id: 'nc.ipv6-permitted-outside', description: 'intermediate permits IP 2001:db8::/32; 2001:db9::1', leaf: 'leaf-ipv6-other', intermediates: ['int-nc-ipv6'], roots: ['root'] },
  { id: 'nc.email-permitted-inside', description: 'intermediate permits email example.com; user@example.com', leaf: 'leaf-email', intermediates: ['int-nc-email'], roots: ['root'] },
  { id: 'nc.email-permitted-outside', description: 'intermediate permits email example.com; user@example.org', leaf: 'leaf-email-other', intermediates: ['int-nc-email'], roots: ['root'] },
  { id: 'nc.uri-permitted-inside', description: 'intermediate permits URI .example.com; https://app.example.com/x', leaf: 'leaf-uri', intermediates: ['int-nc-uri'], roots: ['root'] },
  { id: 'nc.uri-permitted-outside', description: 'intermediate permits URI .example.com; https://app.example.org/x', leaf: 'leaf-uri-other', intermediates: ['int-nc-uri'], roots: ['root'] },
  { id: 'nc.dirname-critical', description: 'intermediate with a critical directoryName constraint', leaf: 'leaf', intermediates: ['int-nc-dirname'], roots: ['root'] },
  { id: 'nc.leaf-without-sans', description: 'leaf without SANs (CN not a host name) under DNS constraints', leaf: 'leaf-no-names', intermediates: ['int-nc-dns'], roots: ['root'] },
  { id: 'nc.cn-only-outside', description: 'CN-only leaf a.example.org under a DNS example.com constraint', leaf: 'leaf-cn-org', intermediates: ['int-nc-dns'], roots: ['root'] },
  { id: 'nc.cn-only-outside-host', description: 'CN-only leaf a.example.org under a DNS example.com constraint, host a.example.org', leaf: 'leaf-cn-org', intermediates: ['int-nc-dns'], roots: ['root'], dnsName: 'a.example.org' },
  { id: 'nc.root-dns-permitted-inside', description: 'root permits DNS example.com; leaf.example.com', leaf: 'leaf', intermediates: ['int'], roots: ['root-nc-dns'] },
  { id: 'nc.root-dns-permitted-outside', description: 'root permits DNS example.com; a.example.org', leaf: 'leaf-org', intermediates: ['int'], roots: ['root-nc-dns'] },
  { id: 'nc.root-ip-excluded-match', description: 'root excludes IP 10.0.0.0/8; 10.1.2.3', leaf: 'leaf-ip', intermediates: ['int'], roots: ['root-nc-ip-excluded'] },
  { id: 'nc.root-ip-excluded-other', description: 'root excludes IP 10.0.0.0/8; 192.168.1.1', leaf: 'leaf-ip-other', intermediates: ['int'], roots: ['root-nc-ip-excluded'] },

  // critical extensions
  { id: 'critical.leaf-unknown', description: 'leaf with an unknown critical extension', leaf: 'leaf-unknown-critical', intermediates: ['int'], roots: ['root'] },
  { id: 'critical.leaf-unknown-noncritical', description: 'leaf with an unknown non-critical extension', leaf: 'leaf-unknown-noncritical', intermediates: ['int'], roots: ['root'] },
  { id: 'critical.leaf-known', description: 'leaf with critical SAN and EKU', leaf: 'leaf-known-critical', intermediates: ['int'], roots: ['root'] },
  { id: 'critical.intermediate-unknown', description: 'intermediate with an unknown critical extension', leaf: 'leaf', intermediates: ['int-unknown-critical'], roots: ['root'] },
  { id: 'critical.intermediate-unknown-noncritical', description: 'intermediate with an unknown non-critical extension', leaf: 'leaf', intermediates: ['int-unknown-noncritical'], roots: ['root'] },
  { id: 'critical.root-unknown', description: 'root with an unknown critical extension', leaf: 'leaf', intermediates: ['int'], roots: ['root-unknown-critical'] },

  // signature algorithms
  { id: 'signature.rsa-pkcs1-sha256', description: 'sha256WithRSAEncryption (RSA 2048)', leaf: 'leaf-rsa-sha256', roots: ['root-rsa'] },
  { id: 'signature.rsa-pkcs1-sha384', description: 'sha384WithRSAEncryption', leaf: 'leaf-rsa-sha384', roots: ['root-rsa'] },
  { id: 'signature.rsa-pkcs1-sha512', description: 'sha512WithRSAEncryption', leaf: 'leaf-rsa-sha512', roots: ['root-rsa'] },
  { id: 'signature.rsa-pss-sha256', description: 'RSASSA-PSS, SHA-256, MGF1 SHA-256, salt 32', leaf: 'leaf-rsa-pss', roots: ['root-rsa'] },
  { id: 'signature.rsa-pss-salt20', description: 'RSASSA-PSS, SHA-256, MGF1 SHA-256, salt 20', leaf: 'leaf-rsa-pss-salt20', roots: ['root-rsa'] },
  { id: 'signature.rsa-pss-mgf1-sha1', description: 'RSASSA-PSS, SHA-256, MGF1 SHA-1, salt 32', leaf: 'leaf-rsa-pss-mgf1-sha1', roots: ['root-rsa'] },
  { id: 'signature.rsa-sha1', description: 'sha1WithRSAEncryption', leaf: 'leaf-rsa-sha1', roots: ['root-rsa'] },
  { id: 'signature.rsa-md5', description: 'md5WithRSAEncryption', leaf: 'leaf-rsa-md5', roots: ['root-rsa'] },
  { id: 'signature.rsa-flipped', description: 'RSA signature with its last byte flipped', leaf: 'leaf-rsa-flipped', roots: ['root-rsa'] },
  { id: 'signature.ecdsa-p256-sha256', description: 'ecdsa-with-SHA256 by a P-256 key', leaf: 'leaf-by-root', roots: ['root'] },
  { id: 'signature.ecdsa-p256-sha512', description: 'ecdsa-with-SHA512 by a P-256 key', leaf: 'leaf-p256-sha512', roots: ['root'] },
  { id: 'signature.ecdsa-p384-sha384', description: 'ecdsa-with-SHA384 by a P-384 key', leaf: 'leaf-p384-sha384', roots: ['root-p384'] },
  { id: 'signature.ecdsa-p521-sha512', description: 'ecdsa-with-SHA512 by a P-521 key', leaf: 'leaf-p521-sha512', roots: ['root-p521'] },
  { id: 'signature.ecdsa-sha1', description: 'ecdsa-with-SHA1', leaf: 'leaf-ecdsa-sha1', roots: ['root'] },
  { id: 'signature.ecdsa-flipped', description: 'ECDSA signature with its last byte flipped', leaf: 'leaf-ecdsa-flipped', roots: ['root'] },
  { id: 'signature.ed25519', description: 'Ed25519', leaf: 'leaf-ed25519', roots: ['root-ed25519'] },
  { id: 'signature.dsa-sha256', description: 'dsa_with_SHA256 (DSA 2048)', leaf: 'leaf-dsa-sha256', roots: ['root-dsa'] },
  { id: 'signature.rsa-1024-issuer', description: 'signed by a 1024-bit RSA root', leaf: 'leaf-rsa1024-issuer', roots: ['root-rsa1024'] },
  { id: 'signature.rsa-512-issuer', description: 'signed by a 512-bit RSA root', leaf: 'leaf-rsa512-issuer', roots: ['root-rsa512'] },
  { id: 'signature.rsa-512-leaf-key', description: 'leaf with a 512-bit RSA key', leaf: 'leaf-rsa512-key', roots: ['root'] },
  { id: 'signature.outer-inner-mismatch', description: 'outer signatureAlgorithm ecdsa-with-SHA384, TBS says ecdsa-with-SHA256', leaf: 'leaf-outer-algorithm', roots: ['root'] },
  { id: 'signature.intermediate-sha1', description: 'intermediate signed with ecdsa-with-SHA1', leaf: 'leaf', intermediates: ['int-sha1'], roots: ['root'] },
  { id: 'signature.root-self-signed-sha1', description: "root's own signature is ecdsa-with-SHA1", leaf: 'leaf', intermediates: ['int'], roots: ['root-self-sha1'] },

  // validity at `at`
  { id: 'validity.inside', description: 'every certificate valid', leaf: 'leaf', intermediates: ['int'], roots: ['root'] },
  { id: 'validity.leaf-expired', description: 'one second after the leaf notAfter', leaf: 'leaf', intermediates: ['int'], roots: ['root'], at: '2035-01-01T00:00:01Z' },
  { id: 'validity.leaf-at-not-after', description: 'exactly at the leaf notAfter', leaf: 'leaf', intermediates: ['int'], roots: ['root'], at: '2035-01-01T00:00:00Z' },
  { id: 'validity.leaf-not-yet-valid', description: 'one second before the leaf notBefore', leaf: 'leaf', intermediates: ['int'], roots: ['root'], at: '2024-12-31T23:59:59Z' },
  { id: 'validity.leaf-at-not-before', description: 'exactly at the leaf notBefore', leaf: 'leaf', intermediates: ['int'], roots: ['root'], at: '2025-01-01T00:00:00Z' },
  { id: 'validity.intermediate-expired', description: 'intermediate expired 2029-01-01', leaf: 'leaf', intermediates: ['int-expired'], roots: ['root'] },
  { id: 'validity.root-expired', description: 'root expired 2029-01-01', leaf: 'leaf', intermediates: ['int'], roots: ['root-expired'] },
  { id: 'validity.root-not-yet-valid', description: 'root valid from 2031-01-01', leaf: 'leaf', intermediates: ['int'], roots: ['root-not-yet-valid'] },

  // host names
  { id: 'host.san-dns-match', description: 'DNS SAN leaf.example.com, host leaf.example.com', leaf: 'leaf', intermediates: ['int'], roots: ['root'], dnsName: 'leaf.example.com' },
  { id: 'host.san-dns-mismatch', description: 'DNS SAN leaf.example.com, host other.example.com', leaf: 'leaf', intermediates: ['int'], roots: ['root'], dnsName: 'other.example.com' },
  { id: 'host.cn-only', description: 'CN cn.example.com, no SANs, host cn.example.com', leaf: 'leaf-cn-only', intermediates: ['int'], roots: ['root'], dnsName: 'cn.example.com' },
  { id: 'host.cn-only-no-host', description: 'CN-only leaf, no host asked', leaf: 'leaf-cn-only', intermediates: ['int'], roots: ['root'] },
  { id: 'host.wildcard-one-label', description: '*.example.com, host a.example.com', leaf: 'leaf-wildcard', intermediates: ['int'], roots: ['root'], dnsName: 'a.example.com' },
  { id: 'host.wildcard-two-labels', description: '*.example.com, host a.b.example.com', leaf: 'leaf-wildcard', intermediates: ['int'], roots: ['root'], dnsName: 'a.b.example.com' },
  { id: 'host.wildcard-apex', description: '*.example.com, host example.com', leaf: 'leaf-wildcard', intermediates: ['int'], roots: ['root'], dnsName: 'example.com' },
  { id: 'host.partial-wildcard', description: 'f*.example.com, host foo.example.com', leaf: 'leaf-partial-wildcard', intermediates: ['int'], roots: ['root'], dnsName: 'foo.example.com' },
  { id: 'host.ipv4-match', description: 'IP SAN 10.1.2.3, host 10.1.2.3', leaf: 'leaf-ip', intermediates: ['int'], roots: ['root'], dnsName: '10.1.2.3' },
  { id: 'host.ipv4-mismatch', description: 'IP SAN 10.1.2.3, host 10.1.2.4', leaf: 'leaf-ip', intermediates: ['int'], roots: ['root'], dnsName: '10.1.2.4' },
  { id: 'host.ipv6-match', description: 'IP SAN 2001:db8::1, host 2001:db8::1', leaf: 'leaf-ipv6', intermediates: ['int'], roots: ['root'], dnsName: '2001:db8::1' },
  { id: 'host.ipv6-long-form', description: 'IP SAN 2001:db8::1, host 2001:0db8:0:0:0:0:0:1', leaf: 'leaf-ipv6', intermediates: ['int'], roots: ['root'], dnsName: '2001:0db8:0:0:0:0:0:1' },
  { id: 'host.ipv6-brackets', description: 'IP SAN 2001:db8::1, host [2001:db8::1]', leaf: 'leaf-ipv6', intermediates: ['int'], roots: ['root'], dnsName: '[2001:db8::1]' },
  { id: 'host.ip-asked-dns-only', description: 'DNS SAN only, host 10.1.2.3', leaf: 'leaf', intermediates: ['int'], roots: ['root'], dnsName: '10.1.2.3' },
  { id: 'host.ip-in-dns-san', description: 'DNS SAN "10.1.2.3", host 10.1.2.3', leaf: 'leaf-ip-in-dns', intermediates: ['int'], roots: ['root'], dnsName: '10.1.2.3' },
  { id: 'host.dns-asked-ip-only', description: 'IP SAN only, host leaf.example.com', leaf: 'leaf-ip', intermediates: ['int'], roots: ['root'], dnsName: 'leaf.example.com' },
  { id: 'host.trailing-dot', description: 'DNS SAN leaf.example.com, host leaf.example.com.', leaf: 'leaf', intermediates: ['int'], roots: ['root'], dnsName: 'leaf.example.com.' },
  { id: 'host.san-trailing-dot', description: 'DNS SAN leaf.example.com., host leaf.example.com', leaf: 'leaf-san-trailing-dot', intermediates: ['int'], roots: ['root'], dnsName: 'leaf.example.com' },
  { id: 'host.case-insensitive', description: 'DNS SAN leaf.example.com, host LEAF.Example.COM', leaf: 'leaf', intermediates: ['int'], roots: ['root'], dnsName: 'LEAF.Example.COM' },

  // path building
  { id: 'path.intermediates-file', description: 'intermediate in the intermediates file', leaf: 'leaf', intermediates: ['int'], roots: ['root'] },
  { id: 'path.fullchain', description: 'intermediate after the leaf in its file', leaf: ['leaf', 'int'], roots: ['root'] },
  { id: 'path.missing-intermediate', description: 'no intermediate given', leaf: 'leaf', roots: ['root'] },
  { id: 'path.wrong-root', description: 'a root that signed nothing here', leaf: 'leaf', intermediates: ['int'], roots: ['root-other'] },
  { id: 'path.impostor-root', description: "a root with the real root's name and another key", leaf: 'leaf', intermediates: ['int'], roots: ['root-impostor'] },
  { id: 'path.self-signed-leaf', description: 'self-signed leaf, not trusted', leaf: 'leaf-self-signed', roots: ['root'] },
  { id: 'path.self-signed-leaf-trusted', description: 'self-signed leaf, trusted as a root', leaf: 'leaf-self-signed', roots: ['leaf-self-signed'] },
  { id: 'path.leaf-as-root', description: 'the CA-issued leaf itself in the roots', leaf: 'leaf', roots: ['leaf'] },
  { id: 'path.intermediate-as-root', description: 'the intermediate trusted as a root', leaf: 'leaf', roots: ['int'] },
  { id: 'path.root-as-leaf', description: 'the root verified as a leaf against itself', leaf: 'root', roots: ['root'] },
  { id: 'path.cross-signed', description: 'same-key intermediates by an untrusted and by the trusted root', leaf: 'leaf-cross', intermediates: ['cross-untrusted', 'root-untrusted', 'cross-trusted'], roots: ['root'] },
  { id: 'path.cross-signed-untrusted-only', description: 'only the copy signed by the untrusted root', leaf: 'leaf-cross', intermediates: ['cross-untrusted', 'root-untrusted'], roots: ['root'] },
  { id: 'path.cross-signed-both-trusted', description: 'both roots trusted: two chains', leaf: 'leaf-cross', intermediates: ['cross-untrusted', 'cross-trusted'], roots: ['root', 'root-untrusted'] },
  { id: 'path.expired-and-valid-intermediate', description: 'an expired and a valid copy of the intermediate', leaf: 'leaf', intermediates: ['int-expired', 'int'], roots: ['root'] },
  { id: 'path.four-intermediates', description: 'root > 4 intermediates > leaf', leaf: 'leaf-long', intermediates: ['int', 'int2', 'int3', 'int4'], roots: ['root'] },
  { id: 'path.four-intermediates-reversed', description: 'the same, intermediates in reverse order in the leaf file', leaf: ['leaf-long', 'int', 'int2', 'int3', 'int4'], roots: ['root'] },
  { id: 'path.four-intermediates-one-missing', description: 'the same without intermediate 2', leaf: 'leaf-long', intermediates: ['int', 'int3', 'int4'], roots: ['root'] },
  { id: 'path.unrelated-intermediates', description: 'an unrelated intermediate given first', leaf: 'leaf', intermediates: ['int-other', 'int'], roots: ['root'] },
  { id: 'path.root-among-intermediates', description: 'the root also sent as an intermediate', leaf: ['leaf', 'int', 'root'], roots: ['root'] },

  // encodings
  { id: 'encoding.aki-critical', description: 'leaf with a critical authorityKeyIdentifier', leaf: 'leaf-aki-critical', intermediates: ['int'], roots: ['root'] },
  { id: 'encoding.ski-critical', description: 'leaf with a critical subjectKeyIdentifier', leaf: 'leaf-ski-critical', intermediates: ['int'], roots: ['root'] },
  { id: 'encoding.ski-critical-intermediate', description: 'intermediate with a critical subjectKeyIdentifier', leaf: 'leaf', intermediates: ['int-ski-critical'], roots: ['root'] },
  { id: 'encoding.aki-mismatch', description: "leaf AKI keyid that is not the intermediate's SKI", leaf: 'leaf-aki-mismatch', intermediates: ['int'], roots: ['root'] },
  { id: 'encoding.no-key-ids', description: 'intermediate without SKI/AKI, leaf without SKI/AKI', leaf: 'leaf-no-key-ids', intermediates: ['int-no-key-ids'], roots: ['root'] },
  { id: 'encoding.negative-serial-leaf', description: 'leaf with serial -5', leaf: 'leaf-negative-serial', intermediates: ['int'], roots: ['root'] },
  { id: 'encoding.negative-serial-intermediate', description: 'intermediate with serial -5', leaf: 'leaf', intermediates: ['int-negative-serial'], roots: ['root'] },
  { id: 'encoding.negative-serial-root', description: 'root with serial -5', leaf: 'leaf', intermediates: ['int'], roots: ['root-negative-serial'] },
  { id: 'encoding.ip-san-8-bytes', description: 'IP SAN of 8 bytes (address and mask)', leaf: 'leaf-ip-8-bytes', intermediates: ['int'], roots: ['root'] },
  { id: 'encoding.duplicate-extension', description: 'leaf with subjectAltName twice', leaf: 'leaf-duplicate-san', intermediates: ['int'], roots: ['root'] },
  { id: 'encoding.empty-san', description: 'leaf with an empty subjectAltName SEQUENCE', leaf: 'leaf-empty-san', intermediates: ['int'], roots: ['root'] },
  { id: 'encoding.empty-san-host', description: 'leaf with an empty subjectAltName SEQUENCE, host leaf.example.com', leaf: 'leaf-empty-san', intermediates: ['int'], roots: ['root'], dnsName: 'leaf.example.com' },
];

/** openssl config sections an extension line refers to (`dirName:nc_dirname`). */
const EXTRA_SECTIONS = '[nc_dirname]\nO = Corpus\n';

/** Makes every key, certificate and leaf file under `dir` (which must exist) and returns the cases. */
export function buildChainCorpus(dir: string): ChainCorpus {
  for (const sub of ['keys', 'certs', 'leaves', 'ca']) mkdirSync(join(dir, sub), { recursive: true });
  const caDir = join(dir, 'ca');
  writeFileSync(join(caDir, 'ca.cnf'), [
    '[ca]', 'default_ca = corpus', '[corpus]', `database = ${join(caDir, 'index.txt')}`, `new_certs_dir = ${caDir}`,
    `serial = ${join(caDir, 'serial')}`, 'policy = anything', 'unique_subject = no', 'default_md = sha256',
    '[anything]', 'commonName = optional', '',
  ].join('\n'));

  const keyFile = (name: string) => join(dir, 'keys', `${name}.key`);
  const certFile = (name: string) => join(dir, 'certs', `${name}.pem`);
  const madeKeys = new Set<string>();
  const specs = new Map<string, CertSpec>();
  let serial = 0x1000;

  for (const spec of CERTS) {
    if (specs.has(spec.name)) throw new Error(`chain corpus: certificate ${spec.name} twice`);
    if (spec.issuer !== undefined && !specs.has(spec.issuer)) throw new Error(`chain corpus: ${spec.name} before its issuer ${spec.issuer}`);
    specs.set(spec.name, spec);
    if (!madeKeys.has(spec.key)) {
      generateKey(spec.key, keyFile(spec.key));
      openssl(['req', '-new', '-key', keyFile(spec.key), '-subj', '/CN=request', '-out', join(caDir, `${spec.key}.csr`)]);
      madeKeys.add(spec.key);
    }
    const issuer = spec.issuer === undefined ? undefined : specs.get(spec.issuer)!;
    const extFile = join(caDir, `${spec.name}.ext`);
    const lines = Object.entries(spec.ext).filter(([, value]) => value !== null).map(([name, value]) => `${name} = ${value}`);
    writeFileSync(extFile, `[ext]\n${lines.join('\n')}\n${EXTRA_SECTIONS}`);
    writeFileSync(join(caDir, 'index.txt'), '');
    writeFileSync(join(caDir, 'serial'), `${(serial++).toString(16)}\n`);
    openssl([
      'ca', '-batch', '-config', join(caDir, 'ca.cnf'), '-in', join(caDir, `${spec.key}.csr`), '-out', certFile(spec.name), '-notext',
      '-subj', spec.subject, '-preserveDN', '-startdate', spec.notBefore, '-enddate', spec.notAfter,
      ...(issuer ? ['-cert', certFile(issuer.name), '-keyfile', keyFile(issuer.key)] : ['-selfsign', '-keyfile', keyFile(spec.key)]),
      ...(lines.length > 0 ? ['-extfile', extFile, '-extensions', 'ext'] : []), // none: a v1 certificate
      ...(spec.md ? ['-md', spec.md] : []),
      ...(spec.sigopt ?? []).flatMap((option) => ['-sigopt', option]),
    ]);
    if (spec.patch) {
      const der = decodePemBlocks(readFileSync(certFile(spec.name), 'utf8'))[0]!.der;
      const patched = patchCertificate(der, spec.patch, keyFile(issuer?.key ?? spec.key));
      writeFileSync(certFile(spec.name), encodePem('CERTIFICATE', patched));
    }
  }

  const cases = CASES.map((spec): ChainCase => {
    const names = typeof spec.leaf === 'string' ? [spec.leaf] : spec.leaf;
    for (const name of [...names, ...spec.roots, ...(spec.intermediates ?? [])]) {
      if (!specs.has(name)) throw new Error(`chain corpus: case ${spec.id} names no certificate ${name}`);
    }
    let leafFile = certFile(names[0]!);
    if (names.length > 1) {
      leafFile = join(dir, 'leaves', `${spec.id}.pem`);
      writeFileSync(leafFile, names.map((name) => readFileSync(certFile(name), 'utf8')).join(''));
    }
    return {
      id: spec.id,
      rule: spec.id.slice(0, spec.id.indexOf('.')),
      description: spec.description,
      leaf: leafFile,
      roots: spec.roots.map(certFile),
      intermediates: (spec.intermediates ?? []).map(certFile),
      at: new Date(spec.at ?? AT),
      ...(spec.dnsName === undefined ? {} : { dnsName: spec.dnsName }),
      ...(spec.keyUsages === undefined ? {} : { keyUsages: spec.keyUsages }),
    };
  });
  const ids = new Set(cases.map((c) => c.id));
  if (ids.size !== cases.length) throw new Error('chain corpus: duplicate case ids');
  return { dir, cases };
}

/** The DER of every certificate in a PEM file, in order. */
export function certificatesIn(file: string): Buffer[] {
  return decodePemBlocks(readFileSync(file, 'utf8')).filter((block) => block.label === 'CERTIFICATE').map((block) => block.der);
}

function openssl(args: string[], input?: Buffer): Buffer {
  const result = spawnSync('openssl', args, { input, maxBuffer: 16 << 20 });
  if (result.error) throw new Error(`chain corpus: cannot run openssl: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`chain corpus: openssl ${args.join(' ')}\n${result.stderr.toString()}`);
  return result.stdout;
}

function generateKey(name: string, file: string): void {
  const algorithm = KEYS[name];
  if (algorithm === undefined) throw new Error(`chain corpus: no key named ${name}`);
  if (algorithm === 'dsa2048') {
    const params = `${file}.params`;
    openssl(['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048', '-pkeyopt', 'dsa_paramgen_q_bits:256', '-out', params]);
    openssl(['genpkey', '-paramfile', params, '-out', file]);
    return;
  }
  openssl(['genpkey', ...GENPKEY[algorithm], '-out', file]);
}

const SAN_OID = Buffer.from('0603551d11', 'hex');

function patchCertificate(der: Buffer, patch: DerPatch, issuerKeyFile: string): Buffer {
  const [tbs, algorithm, signature] = sequenceElements(der) as [Buffer, Buffer, Buffer];
  switch (patch) {
    case 'flip-signature': {
      const flipped = Buffer.from(der);
      flipped[flipped.length - 1]! ^= 0x01;
      return flipped;
    }
    case 'outer-algorithm': {
      // ecdsa-with-SHA256 (1.2.840.10045.4.3.2) becomes ecdsa-with-SHA384 (...4.3.3) outside the TBS only
      if (!algorithm.equals(Buffer.from('300a06082a8648ce3d040302', 'hex'))) throw new Error('chain corpus: outer-algorithm needs ecdsa-with-SHA256');
      const patched = Buffer.from(der);
      patched[der.length - signature.length - 1] = 0x03;
      return patched;
    }
    case 'negative-serial': {
      const fields = sequenceElements(tbs);
      fields[1] = Buffer.from([0x02, 0x01, 0xfb]); // INTEGER -5
      return resign(tlv(0x30, fields), algorithm, issuerKeyFile);
    }
    case 'duplicate-san': {
      const fields = sequenceElements(tbs);
      const extensions = sequenceElements(sequenceElements(fields[fields.length - 1]!)[0]!);
      const san = extensions.find((extension) => extension.includes(SAN_OID));
      if (!san) throw new Error('chain corpus: duplicate-san needs a subjectAltName');
      fields[fields.length - 1] = tlv(0xa3, [tlv(0x30, [...extensions, san])]);
      return resign(tlv(0x30, fields), algorithm, issuerKeyFile);
    }
  }
}

/** A certificate over `tbs`, signed with ecdsa-with-SHA256 by the issuer's key via `openssl dgst`. */
function resign(tbs: Buffer, algorithm: Buffer, issuerKeyFile: string): Buffer {
  if (!algorithm.equals(Buffer.from('300a06082a8648ce3d040302', 'hex'))) throw new Error('chain corpus: re-signing needs ecdsa-with-SHA256');
  const signature = openssl(['dgst', '-sha256', '-sign', issuerKeyFile], tbs);
  return tlv(0x30, [tbs, algorithm, tlv(0x03, [Buffer.from([0]), signature])]);
}

function tlv(tag: number, parts: Buffer[]): Buffer {
  const content = Buffer.concat(parts);
  const length = content.length;
  const header = length < 0x80 ? [tag, length]
    : length < 0x100 ? [tag, 0x81, length]
    : [tag, 0x82, length >> 8, length & 0xff];
  return Buffer.concat([Buffer.from(header), content]);
}
