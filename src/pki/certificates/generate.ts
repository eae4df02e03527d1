import { generateKeyPair, type KeyPair } from './keys.js';
import { caFromKeyPair, issueCaCertificate, issueLeafCertificate, type IssuingCa } from './issue.js';
import { CERTIFICATE_SPECS, type CaName, type CertificateSpec } from './spec.js';
import type { ClusterValues } from './options.js';
import type { ParsedCertificate } from './x509.js';
import type { CertificateSigner } from './x509-build.js';
import { BASE_LANGUAGE, translatorFor, type Language } from '../../locale/catalogue.js';

/** One row of the table made real: its key pair and (except for sa) its certificate. */
export interface CertificateMaterial {
  spec: CertificateSpec;
  /** Undefined for a CA whose key lives outside (an HSM): there is no private key to hold. */
  keyPair: KeyPair | undefined;
  certificate: ParsedCertificate | undefined;
}

export interface GenerationOptions {
  /** The table to make (a profile's, with its workers); kubeadm's by default. */
  specs?: readonly CertificateSpec[];
  /** CAs whose key is already made elsewhere and signs through this signer (`--ca-in-hsm`). */
  externalCaSigners?: Partial<Record<CaName, CertificateSigner>>;
  /** The language of the progress steps. */
  language?: Language;
}

export type PkiMaterial = Map<string, CertificateMaterial>;

export interface GenerationProgress {
  done: number;
  total: number;
  /** What just finished, e.g. `key for etcd/server (ecdsa-p256)` or `apiserver.crt signed by ca`. */
  step: string;
}

export type ProgressListener = (progress: GenerationProgress) => void;

/**
 * Asks for every key at once (ready ones from the app's key pool, the rest from OpenSSL on libuv's
 * thread pool) and signs each certificate as soon as its key and its CA are ready, so a 2-core
 * machine stays busy and the caller's UI keeps drawing. libuv's default four threads already keep
 * two cores busy: UV_THREADPOOL_SIZE 2, 8 or 16 measured no faster, so it is left alone.
 */
export async function generatePkiMaterial(cluster: ClusterValues, onProgress: ProgressListener = () => {}, options: GenerationOptions = {}): Promise<PkiMaterial> {
  const specs = options.specs ?? CERTIFICATE_SPECS;
  const external = options.externalCaSigners ?? {};
  const isExternal = (spec: CertificateSpec) => spec.kind === 'ca' && external[spec.name as CaName] !== undefined;
  const total = specs.filter((s) => !isExternal(s)).length + specs.filter((s) => s.kind !== 'service-account-key').length;
  let done = 0;
  const t = translatorFor(options.language ?? BASE_LANGUAGE);
  const report = (step: string) => onProgress({ done: ++done, total, step });

  // CAs first in the queue: every leaf waits for one of them
  const ordered = [...specs].filter((s) => !isExternal(s)).sort((a, b) => Number(b.kind === 'ca') - Number(a.kind === 'ca'));
  const keys = new Map<string, Promise<KeyPair>>();
  for (const spec of ordered) {
    keys.set(
      spec.name,
      generateKeyPair(cluster.keyType).then((pair) => {
        report(t('pki.progress.key', { name: spec.name, keyType: cluster.keyType }));
        return pair;
      }),
    );
  }
  const keyOf = (name: string) => keys.get(name)!;

  const cas = new Map<CaName, Promise<IssuingCa>>();
  for (const spec of specs.filter((s) => s.kind === 'ca')) {
    const signer = external[spec.name as CaName];
    if (signer) {
      cas.set(
        spec.name as CaName,
        issueCaCertificate(spec, cluster, signer).then((certificate) => {
          report(t('pki.progress.ca-in-hsm', { file: `${spec.path}.crt` }));
          return { certificate, signer };
        }),
      );
      continue;
    }
    cas.set(
      spec.name as CaName,
      keyOf(spec.name).then(async (pair) => {
        const certificate = await issueCaCertificate(spec, cluster, pair);
        report(t('pki.progress.ca', { file: `${spec.path}.crt` }));
        return caFromKeyPair(certificate, pair);
      }),
    );
  }

  const materials = await Promise.all(
    specs.map(async (spec): Promise<CertificateMaterial> => {
      if (isExternal(spec)) return { spec, keyPair: undefined, certificate: (await cas.get(spec.name as CaName)!).certificate };
      const keyPair = await keyOf(spec.name);
      if (spec.kind === 'service-account-key') return { spec, keyPair, certificate: undefined };
      if (spec.kind === 'ca') return { spec, keyPair, certificate: (await cas.get(spec.name as CaName)!).certificate };
      const ca = await cas.get(spec.signer as CaName)!;
      const certificate = await issueLeafCertificate(spec, cluster, keyPair.publicKey, ca);
      report(t('pki.progress.signed', { file: spec.kind === 'kubeconfig' ? spec.path : `${spec.path}.crt`, ca: spec.signer }));
      return { spec, keyPair, certificate };
    }),
  );
  return new Map(materials.map((m) => [m.spec.name, m]));
}
