import type { KeyObject } from 'node:crypto';
import { buildCertificate, signerFromPrivateKey, type CertificateSigner, type CertificateTemplate } from './x509-build.js';
import { parseCertificateDer, type KeyUsage, type ParsedCertificate } from './x509.js';
import type { ClusterValues } from './options.js';
import type { AltNames, CertificateSpec, ExtendedUsage } from './spec.js';
import type { KeyPair } from './keys.js';

/** kubeadm backdates CA certificates by five minutes to allow small clock jumps (constants.CertificateBackdate). */
export const CERTIFICATE_BACKDATE_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface IssuingCa {
  certificate: ParsedCertificate;
  signer: CertificateSigner;
}

/** What a fault, a renewal or a CSR changes relative to the spec. */
export interface IssueOverrides {
  notBefore?: Date;
  notAfter?: Date;
  usages?: ExtendedUsage[];
  altNames?: AltNames;
  commonName?: string;
  organizations?: string[];
}

export function caFromKeyPair(certificate: ParsedCertificate, keyPair: KeyPair): IssuingCa {
  return { certificate, signer: signerFromPrivateKey(keyPair.privateKey, keyPair.publicKey) };
}

/**
 * A self-signed CA exactly as kubeadm makes one (client-go NewSelfSignedCACert). The signer is its own
 * key: in memory, or (`--ca-in-hsm`) a key that never leaves a PKCS#11 token.
 */
export async function issueCaCertificate(spec: CertificateSpec, cluster: ClusterValues, keyPairOrSigner: KeyPair | CertificateSigner): Promise<ParsedCertificate> {
  const signer = 'sign' in keyPairOrSigner ? keyPairOrSigner : signerFromPrivateKey(keyPairOrSigner.privateKey, keyPairOrSigner.publicKey);
  const commonName = spec.commonName(cluster);
  const template: CertificateTemplate = {
    subject: { commonName, organizations: spec.organizations(cluster), location: spec.subjectLocation },
    publicKey: signer.publicKey,
    notBefore: new Date(cluster.now.getTime() - CERTIFICATE_BACKDATE_MS),
    notAfter: new Date(cluster.now.getTime() + cluster.caValidityDays * DAY_MS),
    isCA: true,
    keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'],
    // client-go puts the CA's own name in its SANs
    dnsNames: [commonName],
  };
  const der = await buildCertificate(template, 'self', signer);
  return parseCertificateDer(der);
}

/** A leaf signed by its CA, as kubeadm's pkiutil.NewSignedCert does; overrides make faults and renewals. */
export async function issueLeafCertificate(
  spec: CertificateSpec,
  cluster: ClusterValues,
  publicKey: KeyObject,
  ca: IssuingCa,
  overrides: IssueOverrides = {},
): Promise<ParsedCertificate> {
  const altNames = overrides.altNames ?? spec.altNames?.(cluster) ?? { dns: [], ip: [] };
  const template: CertificateTemplate = {
    subject: {
      commonName: overrides.commonName ?? spec.commonName(cluster),
      organizations: overrides.organizations ?? spec.organizations(cluster),
      location: spec.subjectLocation,
    },
    publicKey,
    notBefore: overrides.notBefore ?? ca.certificate.notBefore,
    notAfter: overrides.notAfter ?? new Date(cluster.now.getTime() + cluster.certValidityDays * DAY_MS),
    isCA: false,
    keyUsage: leafKeyUsage(publicKey),
    extKeyUsage: overrides.usages ?? spec.usages,
    dnsNames: altNames.dns,
    ipAddresses: altNames.ip,
  };
  const der = await buildCertificate(template, {
    subjectDer: ca.certificate.subjectDer,
    subjectKeyId: ca.certificate.subjectKeyId,
    signer: ca.signer,
  });
  return parseCertificateDer(der);
}

/** Key encipherment only means something for RSA keys (kubeadm adds it for RSA only). */
export function leafKeyUsage(publicKey: KeyObject): KeyUsage[] {
  return publicKey.asymmetricKeyType === 'rsa' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'];
}
