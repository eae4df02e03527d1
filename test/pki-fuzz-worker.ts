import { parentPort, workerData } from 'node:worker_threads';
import { isKubetlsError } from '../src/errors.js';
import { goVerify, inspectBytes, itemJson, itemText, verifyCertificate, type InspectedItem } from '../src/pki/index.js';
import { parseKubeconfig } from '../src/pki/certificates/kubeconfig.js';
import { loadPrivateKey } from '../src/pki/certificates/keys.js';
import { decodePemBlocks, encodePem } from '../src/pki/certificates/pem.js';
import { parseCertificateDer, parseCertificateRequestDer } from '../src/pki/certificates/x509.js';
import { createRandom, type Random } from '../src/quiz/random.js';

/**
 * The fuzzer's engine, in a worker thread so the test can stop it if an input ever hangs it: replays
 * the kept crashers, then mutates the seed files and feeds every input to each entry point `inspect`
 * and `verify` use. Reports each input before it runs it, and every input that ends in anything but
 * a KubetlsError (what the CLI turns into exit 2; anything else is exit 70).
 */

export interface FuzzJob {
  seed: number;
  count: number;
  /** Real files made by the test: certificates, keys, CSRs, kubeconfigs, as PEM and DER. */
  seeds: { name: string; bytes: Uint8Array }[];
  regressions: { name: string; bytes: Uint8Array }[];
  /** Where relative paths in a kubeconfig are resolved: the seeds are there under their names. */
  baseDir: string;
}

export type FuzzMessage =
  | { kind: 'input'; index: number; label: string; bytes: Uint8Array }
  | { kind: 'failure'; label: string; bytes: Uint8Array; error: string }
  | { kind: 'done'; inputs: number; accepted: number; refused: number; slowestMs: number; slowestLabel: string };

const job = workerData as FuzzJob;
const post = (message: FuzzMessage): void => parentPort!.postMessage(message);

let seeded: ReturnType<typeof parseCertificateDer>[] | undefined;

/** The certificates among the seed files, as verify's trusted CAs. */
function seedCertificates(): ReturnType<typeof parseCertificateDer>[] {
  seeded ??= job.seeds.flatMap((seed) => {
    try {
      return inspectBytes(Buffer.from(seed.bytes), seed.name, job.baseDir).flatMap((item) => (item.kind === 'certificate' ? [item.certificate] : []));
    } catch {
      return [];
    }
  });
  return seeded;
}

/** Every in-process entry point of `inspect` and `verify` that reads bytes from a file; true when inspect read it. */
function feed(bytes: Buffer): boolean {
  const attempt = (run: () => unknown): boolean => {
    try {
      run();
      return true;
    } catch (error) {
      if (!isKubetlsError(error)) throw error;
      return false;
    }
  };
  // inspect and verify: detection, parsing, and what is printed from the result
  let items: InspectedItem[] = [];
  const inspected = attempt(() => {
    items = inspectBytes(bytes, 'fuzz.input', job.baseDir);
    for (const item of items) {
      itemText(item, items.length > 1);
      JSON.stringify(itemJson(item));
    }
  });
  // verify: what inspect read, against the real CAs of the seeds (so signatures are checked too) and itself
  for (const item of items) {
    if (item.kind !== 'certificate') continue;
    attempt(() => verifyCertificate(item.certificate, { cas: [...seedCertificates(), item.certificate], purpose: 'server', host: '10.96.0.1' }));
    attempt(() => verifyCertificate(item.certificate, { cas: seedCertificates(), intermediates: [item.certificate], purpose: 'client' }));
  }
  const text = bytes.toString('utf8');
  attempt(() => {
    for (const block of decodePemBlocks(text)) {
      attempt(() => parseCertificateDer(block.der));
      attempt(() => parseCertificateRequestDer(block.der));
      // Go's parser and verifier on the raw bytes: a verdict, never an exception
      goVerify(block.der, { roots: [block.der, ...seedCertificates().map((c) => c.der)], at: new Date(), dnsName: 'kubernetes.default' });
    }
  });
  goVerify(bytes, { roots: [bytes], at: new Date() });
  attempt(() => parseCertificateDer(bytes));
  attempt(() => parseCertificateRequestDer(bytes));
  attempt(() => parseKubeconfig(text, 'fuzz.input'));
  attempt(() => loadPrivateKey(bytes, 'fuzz.input'));
  return inspected;
}

// ---- mutations ---------------------------------------------------------------------------------

type Mutation = (input: Buffer, random: Random) => Buffer;

const pick = <T>(items: readonly T[], random: Random): T => items[random.below(items.length)]!;

const bitFlips: Mutation = (input, random) => {
  const out = Buffer.from(input);
  const flips = 1 + random.below(8);
  for (let i = 0; i < flips && out.length > 0; i++) out[random.below(out.length)]! ^= 1 << random.below(8);
  return out;
};

const interestingBytes = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff, 0x30, 0x02, 0x03, 0x04, 0x05, 0x06, 0x17, 0x18, 0xa0, 0xa3];
const byteSets: Mutation = (input, random) => {
  const out = Buffer.from(input);
  const sets = 1 + random.below(4);
  for (let i = 0; i < sets && out.length > 0; i++) out[random.below(out.length)] = pick(interestingBytes, random);
  return out;
};

const truncation: Mutation = (input, random) => input.subarray(0, random.below(input.length + 1));

const chunkDeletion: Mutation = (input, random) => {
  const start = random.below(input.length + 1);
  const end = Math.min(input.length, start + 1 + random.below(64));
  return Buffer.concat([input.subarray(0, start), input.subarray(end)]);
};

const chunkDuplication: Mutation = (input, random) => {
  const start = random.below(input.length + 1);
  const chunk = input.subarray(start, start + 1 + random.below(256));
  const at = random.below(input.length + 1);
  return Buffer.concat([input.subarray(0, at), chunk, input.subarray(at)]);
};

const randomInsertion: Mutation = (input, random) => {
  const at = random.below(input.length + 1);
  const noise = Buffer.alloc(1 + random.below(16));
  for (let i = 0; i < noise.length; i++) noise[i] = random.below(256);
  return Buffer.concat([input.subarray(0, at), noise, input.subarray(at)]);
};

const splice: Mutation = (input, random) => {
  const other = Buffer.from(pick(job.seeds, random).bytes);
  const cut = random.below(input.length + 1);
  const from = random.below(other.length + 1);
  return Buffer.concat([input.subarray(0, cut), other.subarray(from)]);
};

/** DER length bytes: find a plausible tag-length pair and lie about the length. */
const lengthEdit: Mutation = (input, random) => {
  const out = Buffer.from(input);
  const tags = new Set([0x30, 0x31, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x17, 0x18, 0xa0, 0xa3, 0x80, 0x82, 0x87]);
  for (let tries = 0; tries < 32 && out.length > 1; tries++) {
    const at = random.below(out.length - 1);
    if (!tags.has(out[at]!)) continue;
    const lengths = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x88, 0xff, (out[at + 1]! + 1) & 0xff, (out[at + 1]! - 1) & 0xff];
    out[at + 1] = pick(lengths, random);
    if (out[at + 1]! > 0x80 && at + 2 < out.length && random.below(2) === 0) out[at + 2] = pick([0x00, 0xff, 0x7f, 0x80], random);
    return out;
  }
  return bitFlips(input, random);
};

/** The DER inside each PEM block, mutated and wrapped again: damage the base64 layer would hide. */
const innerDer: Mutation = (input, random) => {
  const text = input.toString('latin1');
  const blocks = decodePemBlocks(text);
  if (blocks.length === 0) return lengthEdit(input, random);
  const target = pick(blocks, random);
  const inner = pick([bitFlips, byteSets, truncation, lengthEdit, chunkDeletion, chunkDuplication], random)(target.der, random);
  return Buffer.from(text.replace(target.text, encodePem(target.label, inner).trimEnd()), 'latin1');
};

/** What copying from a browser or a terminal does to PEM: lost lines, joined lines, CRLF, stray characters, labels. */
const pemDamage: Mutation = (input, random) => {
  const lines = input.toString('latin1').split('\n');
  const at = random.below(lines.length);
  switch (random.below(9)) {
    case 0:
      lines.splice(at, 1);
      break;
    case 1:
      lines.splice(at, 2, `${lines[at] ?? ''}${lines[at + 1] ?? ''}`);
      break;
    case 2:
      return Buffer.from(lines.join('\r\n'), 'latin1');
    case 3:
      lines[at] = `  ${lines[at] ?? ''} `;
      break;
    case 4:
      lines[at] = (lines[at] ?? '').replace(/[A-Za-z0-9+/=]/, pick(['!', '*', '-', ':', '\u00e9', '=', '\t', '-----'], random));
      break;
    case 5:
      lines[at] = (lines[at] ?? '').replace(/(BEGIN|END) [A-Z ]+/, (match) => match.replace(/[A-Z]+$/, pick(['KEY', 'CERTIFICATE', 'REQUEST', 'X', 'PRIVATE KEY', 'PUBLIC KEY', 'TRUSTED CERTIFICATE'], random)));
      break;
    case 6:
      lines.splice(at, 0, pick(['-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----', '-----BEGIN PRIVATE KEY-----', 'Proc-Type: 4,ENCRYPTED', 'kind: Config', 'clusters:', 'users:'], random));
      break;
    case 7:
      lines[at] = (lines[at] ?? '').slice(0, random.below((lines[at] ?? '').length + 1));
      break;
    default:
      lines.splice(at, 0, ...lines.slice(at, at + 1 + random.below(8)));
  }
  return Buffer.from(lines.join('\n'), 'latin1');
};

/** kubeconfig damage at the YAML level: values, paths, base64, structure. */
const yamlDamage: Mutation = (input, random) => {
  const text = input.toString('utf8');
  const edits: (() => string)[] = [
    () => text.replace(/(-data: )(\S+)/, (_, key: string, value: string) => `${key}${value.slice(0, random.below(value.length + 1))}`),
    () => text.replace(/(-data: )\S+/, `$1${pick(['', '!!', 'AAAA', '"', '[a]', '{}', '~', 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=='], random)}`),
    () => text.replace(/(client-certificate|client-key|certificate-authority)-data: \S+/, `$1: ${pick(['/dev/zero', '/proc/self/status', '.', 'fuzz.input', 'missing.crt', 'ca.crt', 'client.key', '/', '../../../../etc/hostname', ''], random)}`),
    () => text.replace(/^(\s*)(- name|name|user|cluster|users|clusters):/m, `$1${pick(['- *a', '&a [', '? ', '!!binary', '- - -', '{', '<<: *x'], random)}:`),
    () => `${text}\n${pick(['users: []', 'clusters: 7', 'kind: Config', '---\nkind: Config', 'users:\n- name: x\n  user: ~', 'clusters:\n- cluster: []'], random)}\n`,
    () => text.replace(/\n {2,}/g, (match) => (random.below(3) === 0 ? match.slice(0, -1) : match)),
  ];
  return Buffer.from(pick(edits, random)(), 'utf8');
};

const MUTATIONS: Mutation[] = [bitFlips, byteSets, truncation, chunkDeletion, chunkDuplication, randomInsertion, splice, lengthEdit, innerDer, innerDer, pemDamage, pemDamage, yamlDamage];

function mutate(input: Buffer, random: Random): Buffer {
  let out = input;
  const rounds = 1 + (random.below(4) === 0 ? random.below(4) : 0);
  for (let i = 0; i < rounds; i++) out = pick(MUTATIONS, random)(out, random);
  return out;
}

// ---- the run -----------------------------------------------------------------------------------

function run(): void {
  const random = createRandom(job.seed);
  let inputs = 0;
  let accepted = 0;
  let slowestMs = 0;
  let slowestLabel = '';
  const one = (label: string, bytes: Buffer): void => {
    post({ kind: 'input', index: inputs, label, bytes });
    const started = performance.now();
    try {
      if (feed(bytes)) accepted++;
    } catch (error) {
      post({ kind: 'failure', label, bytes, error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error) });
    }
    const elapsed = performance.now() - started;
    if (elapsed > slowestMs) [slowestMs, slowestLabel] = [elapsed, label];
    inputs++;
  };
  for (const regression of job.regressions) one(`regression ${regression.name}`, Buffer.from(regression.bytes));
  for (const seed of job.seeds) one(`seed ${seed.name}`, Buffer.from(seed.bytes));
  for (let i = 0; i < job.count; i++) {
    const seed = pick(job.seeds, random);
    one(`mutant ${i} of ${seed.name}`, mutate(Buffer.from(seed.bytes), random));
  }
  post({ kind: 'done', inputs, accepted, refused: inputs - accepted, slowestMs, slowestLabel });
}

run();
