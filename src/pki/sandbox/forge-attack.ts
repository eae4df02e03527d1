import { existsSync } from 'node:fs';
import { FILE_LIMITS, readUserFile } from '../../user-file.js';
import { join } from 'node:path';
import { KubetlsError, type Words } from '../../errors.js';
import { generateKeyPair, loadPrivateKey } from '../certificates/keys.js';
import { issueLeafCertificate } from '../certificates/issue.js';
import { clusterOf, forgedSpec, kubeconfigFor, loadCertificateOnly, readState, writePrivateFile, writePublicFile } from './sandbox.js';
import { assertSandbox } from '../node/node-dir.js';
import { encodePem } from '../certificates/pem.js';
import { signerFromPrivateKey } from '../certificates/x509-build.js';
import type { ParsedCertificate } from '../certificates/x509.js';
import { privateKeyToPem } from '../certificates/keys.js';

/**
 * The attack the lessons warn about, done for real: whoever can read pki/ca.key signs any identity
 * they like — `system:masters` included — with no CSR, no approval and no trace in the cluster. With the
 * key in an HSM there is no file to read, and this command says so.
 */

export interface ForgeOptions {
  dir: string;
  user: string;
  groups: string[];
  now?: Date;
}

export type ForgeResult =
  | { forged: true; certificate: ParsedCertificate; kubeconfig: string; certificateFile: string; keyFile: string; clientName: string; stolenKey: string }
  | { forged: false; reason: Words };

const USER_NAME = /^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$/;

export async function forgeIdentity(options: ForgeOptions): Promise<ForgeResult> {
  assertSandbox(options.dir);
  if (!USER_NAME.test(options.user) || options.user.includes('/')) {
    throw KubetlsError.said('pki.errors.forge-name', { user: options.user }, { key: 'pki.errors.dns-name-hint', params: { example: 'mallory' } });
  }
  for (const group of options.groups) if (group.trim() === '') throw KubetlsError.said('pki.errors.empty-group');
  const state = readState(options.dir);
  const stolenKey = join(options.dir, 'pki/ca.key');
  if (state.hsm) {
    return {
      forged: false,
      reason: { key: 'pki.forge.in-hsm', params: { key: stolenKey, token: state.hsm.tokenLabel } },
    };
  }
  if (!existsSync(stolenKey)) {
    return { forged: false, reason: { key: 'pki.forge.external-ca', params: { key: stolenKey } } };
  }
  const cluster = clusterOf(state, options.now);
  // exactly what an attacker does with a copied file: no kubetls API, just the key and the certificate
  const caKey = loadPrivateKey(readUserFile(stolenKey, { limit: FILE_LIMITS.pki }), stolenKey);
  const ca = loadCertificateOnly(options.dir, 'ca');
  const spec = forgedSpec(options.user);
  const keyPair = await generateKeyPair(cluster.keyType);
  const certificate = await issueLeafCertificate(spec, cluster, keyPair.publicKey, { certificate: ca.certificate, signer: signerFromPrivateKey(caKey.privateKey, caKey.publicKey) }, {
    commonName: options.user,
    organizations: options.groups,
  });
  const base = join(options.dir, 'forged', options.user);
  writePublicFile(`${base}.crt`, encodePem('CERTIFICATE', certificate.der));
  writePrivateFile(`${base}.key`, privateKeyToPem(keyPair.privateKey));
  const kubeconfig = join(options.dir, spec.path);
  writePrivateFile(kubeconfig, kubeconfigFor(spec, cluster, ca.certificatePem, certificate, keyPair));
  return { forged: true, certificate, kubeconfig, certificateFile: `${base}.crt`, keyFile: `${base}.key`, clientName: spec.name, stolenKey };
}
