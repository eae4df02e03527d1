/** The certificate engine's public surface: the CLI, the TUI, lessons and quizzes use only this. */
export {
  CERTIFICATE_SPECS, KUBEADM_SPECS, CA_NAMES, CERTIFICATE_NAMES, STATIC_POD_COMPONENTS, STATIC_POD_ARGUMENTS, findSpec, isStaticPodComponent, normalizeCertificateName, purposeOf, renewableByKubeadm, specsSignedBy,
} from './certificates/spec.js';
export type { CaName, CertificateSpec, ExtendedUsage, FileUse, ServerRole, SpecKind, AltNames, KubeconfigFile, StaticPodComponent, StaticPodArgument } from './certificates/spec.js';
export {
  PKI_PROFILES, isPkiProfile, HARD_WAY_SPECS, HARD_WAY_DEFAULT_WORKERS, HARD_WAY_SERVICE_CIDR, hardWayWorkerSpec, joinedNodeSpecs, sandboxSpecs, PROFILE_SUMMARIES,
} from './certificates/profiles.js';
export type { PkiProfile, WorkerRecord, NodeRecord, KubeletServing, SandboxLayout } from './certificates/profiles.js';
export { KEY_TYPES, isKeyType, generateKeyPair, loadPrivateKey, describeKeyType } from './certificates/keys.js';
export type { KeyType, KeyPair } from './certificates/keys.js';
export { resolveClusterOptions, firstAddressOfCidr, apiServerUrl, DEFAULT_SERVICE_CIDR, DEFAULT_DNS_DOMAIN, DEFAULT_CLUSTER_NAME } from './certificates/options.js';
export type { ClusterOptions, ClusterValues, ExternalEtcd } from './certificates/options.js';
export {
  NODE_ROOT_ENV, accessOf, assertSandbox, deriveNodeState, fileInDir, hostKubernetesDir, isSandbox, looksLikeKubeadmDir, nodeRootOf, readNodeFile, resolveInRoot, unreadableNotice,
} from './node/node-dir.js';
export type { Access, DerivedSetting, NodeFacts } from './node/node-dir.js';
export { generatePkiMaterial } from './certificates/generate.js';
export type { GenerationProgress, ProgressListener, PkiMaterial, CertificateMaterial } from './certificates/generate.js';
export {
  initSandbox, readState, readClusterState, clusterOf, loadIdentity, loadCertificateOnly, resolveSpec, resolveSandboxSpec, specsOfDir, userSpec, forgedSpec,
  certificatePath, keyPath, filesOf, STATE_FILE,
} from './sandbox/sandbox.js';
export { addNode, KUBELET_CLIENT_SIGNER, KUBELET_SERVING_SIGNER, selfSignedKubeletCertificate } from './sandbox/nodes.js';
export type { AddNodeOptions, AddedNode } from './sandbox/nodes.js';
export { forgeIdentity } from './sandbox/forge-attack.js';
export type { ForgeOptions, ForgeResult } from './sandbox/forge-attack.js';
export { describeHsmKey, findPkcs11Module, SOFTHSM_MODULE_PATHS } from './hsm/hsm.js';
export type { HsmRecord, HsmKeyFacts } from './hsm/hsm.js';
export type { SandboxState, FaultName, FaultRecord, Identity, InitOptions, InitResult } from './sandbox/sandbox.js';
export { inspectFiles, inspectFile, inspectBytes } from './certificates/inspect.js';
export type { InspectedItem } from './certificates/inspect.js';
export { formatCertificateText, formatRequestText, certificateJson, itemJson, itemText, isoSeconds } from './certificates/format.js';
export type { CertificateJson } from './certificates/format.js';
export { verifyCertificate, explainFailure, timeWhenValid, checkName, CHECK_NAMES, KEY_MISMATCH_MESSAGE } from './verify/report.js';
export { goVerify, type GoKeyUsage, type GoVerdict, type GoVerifyOptions } from './verify/go-verify.js';
export type { VerifyOptions, VerifyReport, CheckResult, CheckName, Purpose } from './verify/report.js';
export { runHandshake, HANDSHAKE_SERVERS, HANDSHAKE_CLIENTS, handshakeNames, deriveIdentity, stepLine } from './handshake/handshake.js';
export type { HandshakeOptions, HandshakeReport, HandshakeStep, DerivedIdentity } from './handshake/handshake.js';
export { breakCertificate, chooseManifestUse, FAULTS, faultDetail, faultSummary, isFaultName, handshakeShowing, manifestUsesOf, misspell } from './sandbox/faults.js';
export type { BreakOptions, BreakResult, ManifestFaultDetail } from './sandbox/faults.js';
export {
  KUBERNETES_DIR, MANIFESTS_DIR, buildManifest, checkManifests, componentOf, expectedFlags, hasManifests, kubernetesPath, manifestFile, manifestOptionsOf, manifestsReadable,
  staticPodComponentsOf, readManifest, readWiring, resolveContainerPath, setManifestFlag, staticPodUses, wiredCas, wiredIdentity, writeManifests,
} from './manifests/static-pods.js';
export type {
  CheckManifestOptions, ComponentRuntime, ExpectedFlag, FlagCheck, ManifestArgument, ManifestOptions, ManifestReport, ManifestStatus, ParsedManifest, WiredCa, WiredIdentity, WiredUse, Wiring,
} from './manifests/static-pods.js';
export { renewCertificates, fixCertificates } from './sandbox/renew.js';
export type { RenewedCertificate } from './sandbox/renew.js';
export { createCsr, approveCsr, denyCsr, listCsrs, csrPaths, validateUser, CLIENT_SIGNER } from './sandbox/csr.js';
export type { CsrSummary } from './sandbox/csr.js';
export { checkExpiration, formatExpirationReport, shortHumanDuration } from './certificates/expiration.js';
export type { ExpirationReport, ExpirationRow } from './certificates/expiration.js';
export { parseCertificateDer, parseCertificateRequestDer } from './certificates/x509.js';
export type { ParsedCertificate, ParsedCertificateRequest } from './certificates/x509.js';
export { parseTime } from './certificates/time.js';
export { copyNodeToSandbox } from './node/node-copy.js';
export type { CopyNodeOptions, CopyNodeResult } from './node/node-copy.js';
export { clusterOverview } from './sandbox/overview.js';
export type { ClusterOverview, OverviewRow, OverviewStatus } from './sandbox/overview.js';
export { readSandboxModel, groupBySigner, sandboxUsers, type SandboxModel, type ModelEntry, type ModelGroup, type HealthStatus } from './sandbox/model.js';
export { KEPT_BACKUPS } from './sandbox/init-target.js';
