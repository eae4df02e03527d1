/** The certificate engine's public surface: the CLI, the TUI, lessons and quizzes use only this. */
export {
  CERTIFICATE_SPECS, KUBEADM_SPECS, CA_NAMES, CERTIFICATE_NAMES, STATIC_POD_COMPONENTS, STATIC_POD_ARGUMENTS, findSpec, isStaticPodComponent, normalizeCertificateName, purposeOf, renewableByKubeadm, specsSignedBy,
} from './spec.js';
export type { CaName, CertificateSpec, ExtendedUsage, FileUse, ServerRole, SpecKind, AltNames, KubeconfigFile, StaticPodComponent, StaticPodArgument } from './spec.js';
export {
  PKI_PROFILES, isPkiProfile, HARD_WAY_SPECS, HARD_WAY_DEFAULT_WORKERS, HARD_WAY_SERVICE_CIDR, hardWayWorkerSpec, joinedNodeSpecs, sandboxSpecs, PROFILE_SUMMARIES,
} from './profiles.js';
export type { PkiProfile, WorkerRecord, NodeRecord, KubeletServing, SandboxLayout } from './profiles.js';
export { KEY_TYPES, isKeyType, generateKeyPair, loadPrivateKey, describeKeyType } from './keys.js';
export type { KeyType, KeyPair } from './keys.js';
export { resolveClusterOptions, firstAddressOfCidr, apiServerUrl, DEFAULT_SERVICE_CIDR, DEFAULT_DNS_DOMAIN, DEFAULT_CLUSTER_NAME } from './options.js';
export type { ClusterOptions, ClusterValues, ExternalEtcd } from './options.js';
export {
  NODE_ROOT_ENV, accessOf, assertSandbox, deriveNodeState, fileInDir, hostKubernetesDir, isSandbox, looksLikeKubeadmDir, nodeRootOf, readNodeFile, resolveInRoot, unreadableNotice,
} from './node-dir.js';
export type { Access, DerivedSetting, NodeFacts } from './node-dir.js';
export { generatePkiMaterial } from './generate.js';
export type { GenerationProgress, ProgressListener, PkiMaterial, CertificateMaterial } from './generate.js';
export {
  initSandbox, readState, readClusterState, clusterOf, loadIdentity, loadCertificateOnly, resolveSpec, resolveSandboxSpec, specsOfDir, userSpec, forgedSpec,
  certificatePath, keyPath, filesOf, STATE_FILE,
} from './sandbox.js';
export { addNode, KUBELET_CLIENT_SIGNER, KUBELET_SERVING_SIGNER, selfSignedKubeletCertificate } from './nodes.js';
export type { AddNodeOptions, AddedNode } from './nodes.js';
export { forgeIdentity } from './forge-attack.js';
export type { ForgeOptions, ForgeResult } from './forge-attack.js';
export { describeHsmKey, findPkcs11Module, SOFTHSM_MODULE_PATHS } from './hsm.js';
export type { HsmRecord, HsmKeyFacts } from './hsm.js';
export type { SandboxState, FaultName, FaultRecord, Identity, InitOptions, InitResult } from './sandbox.js';
export { inspectFiles, inspectFile, inspectBytes } from './inspect.js';
export type { InspectedItem } from './inspect.js';
export { formatCertificateText, formatRequestText, certificateJson, itemJson, itemText, isoSeconds } from './format.js';
export type { CertificateJson } from './format.js';
export { verifyCertificate, explainFailure, timeWhenValid, checkName, CHECK_NAMES, KEY_MISMATCH_MESSAGE } from './verify.js';
export { goVerify, type GoKeyUsage, type GoVerdict, type GoVerifyOptions } from './verify/go-verify.js';
export type { VerifyOptions, VerifyReport, CheckResult, CheckName, Purpose } from './verify.js';
export { runHandshake, HANDSHAKE_SERVERS, HANDSHAKE_CLIENTS, handshakeNames, deriveIdentity, stepLine } from './handshake.js';
export type { HandshakeOptions, HandshakeReport, HandshakeStep, DerivedIdentity } from './handshake.js';
export { breakCertificate, chooseManifestUse, FAULTS, faultDetail, faultSummary, isFaultName, handshakeShowing, manifestUsesOf, misspell } from './faults.js';
export type { BreakOptions, BreakResult, ManifestFaultDetail } from './faults.js';
export {
  KUBERNETES_DIR, MANIFESTS_DIR, buildManifest, checkManifests, componentOf, expectedFlags, hasManifests, kubernetesPath, manifestFile, manifestOptionsOf, manifestsReadable,
  staticPodComponentsOf, readManifest, readWiring, resolveContainerPath, setManifestFlag, staticPodUses, wiredCas, wiredIdentity, writeManifests,
} from './manifests.js';
export type {
  CheckManifestOptions, ComponentRuntime, ExpectedFlag, FlagCheck, ManifestArgument, ManifestOptions, ManifestReport, ManifestStatus, ParsedManifest, WiredCa, WiredIdentity, WiredUse, Wiring,
} from './manifests.js';
export { renewCertificates, fixCertificates } from './renew.js';
export type { RenewedCertificate } from './renew.js';
export { createCsr, approveCsr, denyCsr, listCsrs, csrPaths, validateUser, CLIENT_SIGNER } from './csr.js';
export type { CsrSummary } from './csr.js';
export { checkExpiration, formatExpirationReport, shortHumanDuration } from './expiration.js';
export type { ExpirationReport, ExpirationRow } from './expiration.js';
export { parseCertificateDer, parseCertificateRequestDer } from './x509.js';
export type { ParsedCertificate, ParsedCertificateRequest } from './x509.js';
export { parseTime } from './time.js';
export { copyNodeToSandbox } from './node-copy.js';
export type { CopyNodeOptions, CopyNodeResult } from './node-copy.js';
export { clusterOverview } from './overview.js';
export type { ClusterOverview, OverviewRow, OverviewStatus } from './overview.js';
export { readSandboxModel, groupBySigner, sandboxUsers, type SandboxModel, type ModelEntry, type ModelGroup, type HealthStatus } from './sandbox-model.js';
export { KEPT_BACKUPS } from './init-target.js';
