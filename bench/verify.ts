import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goVerify } from '../src/pki/verify/go-verify.js';
import { decodePemBlocks } from '../src/pki/certificates/pem.js';
import { median } from './measure.js';

/**
 * Verifying a 3-certificate chain (leaf, untrusted intermediate, trusted root) in process, the way
 * `kubetls verify` and the app do: parse all three as Go does, build the path, check both signatures.
 * Target (issue 13): under 5 ms. The chains are made with the openssl CLI, RSA 2048 and ECDSA P-256.
 */

export interface VerifyBenchResult {
  rsa: { median: number; p95: number; runs: number };
  ecdsa: { median: number; p95: number; runs: number };
  target: number;
}

export function benchVerify(runs = 500): VerifyBenchResult {
  const work = mkdtempSync(join(tmpdir(), 'kubetls-bench-verify-'));
  try {
    return { rsa: timeChain(makeChain(work, 'rsa'), runs), ecdsa: timeChain(makeChain(work, 'ec'), runs), target: 5 };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface Chain {
  leaf: Buffer;
  intermediate: Buffer;
  root: Buffer;
}

function makeChain(work: string, type: 'rsa' | 'ec'): Chain {
  const file = (name: string) => join(work, `${type}-${name}`);
  const newKey = type === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  writeFileSync(file('ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
  writeFileSync(file('leaf.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:kubernetes.default.svc,IP:10.96.0.1\nauthorityKeyIdentifier=keyid\n');
  openssl(['req', '-x509', ...newKey, '-nodes', '-keyout', file('root.key'), '-out', file('root.crt'), '-subj', '/CN=bench-root', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  const issue = (name: string, subject: string, signer: string, ext: string) => {
    openssl(['req', '-new', ...newKey, '-nodes', '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', subject]);
    openssl(['x509', '-req', '-in', file(`${name}.csr`), '-CA', file(`${signer}.crt`), '-CAkey', file(`${signer}.key`), '-CAcreateserial', '-out', file(`${name}.crt`), '-days', '20', '-extfile', file(ext)]);
  };
  issue('intermediate', '/CN=bench-intermediate', 'root', 'ca.ext');
  issue('leaf', '/CN=kube-apiserver', 'intermediate', 'leaf.ext');
  const der = (name: string) => decodePemBlocks(readFileSync(file(`${name}.crt`), 'utf8'))[0]!.der;
  return { leaf: der('leaf'), intermediate: der('intermediate'), root: der('root') };
}

function timeChain(chain: Chain, runs: number): VerifyBenchResult['rsa'] {
  const verifyOnce = () => goVerify(chain.leaf, { roots: [chain.root], intermediates: [chain.intermediate], at: new Date(), dnsName: '10.96.0.1', keyUsages: ['serverAuth'] });
  const first = verifyOnce();
  if (!first.ok) throw new Error(`the benchmark chain does not verify: ${first.error}`);
  for (let i = 0; i < 20; i++) verifyOnce();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    verifyOnce();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: median(samples), p95: sorted[Math.floor(sorted.length * 0.95)]!, runs };
}

export function reportVerify(result: VerifyBenchResult): string {
  const line = (label: string, t: VerifyBenchResult['rsa']) =>
    `  ${label.padEnd(38)} ${`${t.median.toFixed(2)} ms`.padStart(9)}   p95 ${t.p95.toFixed(2)} ms   (target < ${result.target} ms)  ${t.median < result.target ? 'met' : 'MISSED'}`;
  return [
    `verify a 3-certificate chain in process (Go's rules: parse, build the path, check signatures, host, usage), ${result.rsa.runs} runs`,
    line('RSA 2048 leaf <- intermediate <- root', result.rsa),
    line('ECDSA P-256, the same chain', result.ecdsa),
  ].join('\n');
}
