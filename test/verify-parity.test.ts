import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { goVerify, type GoVerdict } from '../src/pki/verify/go-verify.js';
import { inspectFiles } from '../src/pki/certificates/inspect.js';
import { verifyCertificate, type Purpose } from '../src/pki/verify/report.js';
import type { ParsedCertificate } from '../src/pki/certificates/x509.js';
import { removeTempDirs, tempDir } from './helpers.js';
import { buildChainCorpus, certificatesIn, type ChainCase, type ChainCorpus } from './support/chain-corpus.js';
import { buildGoOracle, type OracleVerdict } from './support/go-oracle.js';
import { opensslVerdict, type OpensslVerdict } from './support/openssl-verdict.js';

/**
 * src/pki/verify/go-verify.ts against Go's crypto/x509 itself: every chain of the openssl-made corpus
 * goes through Go (test/support/x509-oracle), through goVerify and through `openssl verify`. goVerify
 * must give Go's verdict, Go's error text and Go's chains; where openssl and Go differ, the README says so.
 */

interface Judged {
  corpus: ChainCorpus;
  go: Map<string, OracleVerdict>;
  openssl: Map<string, OpensslVerdict>;
}

let judged: Judged | Error | undefined;

/** Built once, on first use; without Go or openssl every test fails with the reason. */
function judgeCorpus(): Judged {
  judged ??= (() => {
    try {
      const started = Date.now();
      if (spawnSync('openssl', ['version']).status !== 0) throw new Error('openssl is needed to build the chain corpus (bash .ci/install-test-tools installs it)');
      const corpus = buildChainCorpus(tempDir('kubetls-chain-corpus-'));
      const oracle = buildGoOracle();
      console.log(`verify-parity: ${corpus.cases.length} cases judged by Go ${oracle.goVersion}; corpus and oracle built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const verdicts = oracle.judge(corpus.cases.map((chainCase) => ({
        id: chainCase.id, leaf: chainCase.leaf, roots: chainCase.roots, intermediates: chainCase.intermediates,
        at: chainCase.at.toISOString(), dnsName: chainCase.dnsName, keyUsages: chainCase.keyUsages,
      })));
      const scratch = tempDir('kubetls-openssl-verify-');
      return {
        corpus,
        go: new Map(verdicts.map((verdict) => [verdict.id, verdict])),
        openssl: new Map(corpus.cases.map((chainCase) => [chainCase.id, opensslVerdict(chainCase, scratch)])),
      };
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  })();
  if (judged instanceof Error) throw judged;
  return judged;
}

test.after(removeTempDirs);

test('the corpus has a passing and a failing chain, by Go, for every rule', () => {
  const { corpus, go } = judgeCorpus();
  assert.ok(corpus.cases.length >= 60, `${corpus.cases.length} cases`);
  const outcomes = new Map<string, Set<boolean>>();
  for (const chainCase of corpus.cases) {
    const verdict = go.get(chainCase.id);
    assert.ok(verdict, `Go judged ${chainCase.id}`);
    outcomes.set(chainCase.rule, (outcomes.get(chainCase.rule) ?? new Set()).add(verdict.ok));
  }
  for (const [rule, seen] of outcomes) assert.is(seen.size, 2, `rule ${rule}: Go ${seen.has(true) ? 'passes' : 'fails'} every case`);
});

test("goVerify gives Go's verdict, Go's error text and Go's chains", () => {
  const { corpus, go } = judgeCorpus();
  const differences: string[] = [];
  for (const chainCase of corpus.cases) {
    const expected = go.get(chainCase.id)!;
    let actual: GoVerdict;
    try {
      actual = verifyWithKubetls(chainCase);
    } catch (error) {
      differences.push(`${chainCase.id}: goVerify threw ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const expectedError = withoutFilePrefix(expected.error, chainCase);
    if (actual.ok !== expected.ok || actual.error !== expectedError) {
      differences.push(`${chainCase.id}: Go ${describe(expected.ok, expectedError)}; kubetls ${describe(actual.ok, actual.error)}`);
      continue;
    }
    const chains = actual.chains.map((chain) => chain.map(sha256));
    if (JSON.stringify(chains) !== JSON.stringify(expected.chains)) {
      differences.push(`${chainCase.id}: Go chains ${JSON.stringify(expected.chains)}; kubetls ${JSON.stringify(chains)}`);
    }
  }
  assert.ok(differences.length === 0, `${differences.length} of ${corpus.cases.length} cases differ from Go:\n${differences.join('\n')}`);
});

test("kubetls verify's own path (read the files, verifyCertificate) gives Go's verdict wherever its flags can ask Go's question", () => {
  const { corpus, go } = judgeCorpus();
  const differences: string[] = [];
  let asked = 0;
  for (const chainCase of corpus.cases) {
    const purpose = purposeFor(chainCase.keyUsages);
    if (purpose === 'not-expressible') continue;
    asked++;
    const certificates = (files: string[]) => (files.length === 0 ? [] : inspectFiles(files)).flatMap((item) => (item.kind === 'certificate' ? [item.certificate] : []));
    const [leaf, ...sent] = certificates([chainCase.leaf]) as [ParsedCertificate, ...ParsedCertificate[]];
    const report = verifyCertificate(leaf, {
      cas: certificates(chainCase.roots),
      intermediates: [...sent, ...certificates(chainCase.intermediates)],
      at: chainCase.at,
      purpose,
      host: chainCase.dnsName,
    });
    const expected = go.get(chainCase.id)!;
    const expectedError = withoutFilePrefix(expected.error, chainCase);
    // a CA Go cannot parse is named in kubetls' line ("CA Corpus Root: x509: negative serial number")
    const sameError = report.reason === expectedError || (expectedError !== undefined && report.reason?.endsWith(`: ${expectedError}`) === true);
    if (report.ok !== expected.ok || !sameError) differences.push(`${chainCase.id}: Go ${describe(expected.ok, expectedError)}; kubetls verify ${describe(report.ok, report.reason)}`);
  }
  assert.ok(asked > corpus.cases.length * 0.9, `${asked} cases asked`);
  assert.ok(differences.length === 0, `${differences.length} of ${asked} cases differ from Go:\n${differences.join('\n')}`);
});

/** --purpose server|client, or none for any usage; Go's default (no usages) is serverAuth. */
function purposeFor(keyUsages: ChainCase['keyUsages']): Purpose | undefined | 'not-expressible' {
  if (!keyUsages || keyUsages.length === 0) return 'server';
  if (keyUsages.length > 1) return 'not-expressible';
  return keyUsages[0] === 'serverAuth' ? 'server' : keyUsages[0] === 'clientAuth' ? 'client' : undefined;
}

test('openssl verify -x509_strict: where it and Go disagree (the README lists these)', () => {
  const { corpus, go, openssl } = judgeCorpus();
  let disagreements = 0;
  for (const chainCase of corpus.cases) {
    const fromGo = go.get(chainCase.id)!;
    const fromOpenssl = openssl.get(chainCase.id)!;
    if (fromGo.ok === fromOpenssl.ok) continue;
    disagreements++;
    const goError = fromGo.error?.replaceAll(`${corpus.dir}/`, '');
    console.log(`openssl/Go disagree: ${chainCase.id} (${chainCase.description}): Go ${describe(fromGo.ok, goError)}; openssl ${describe(fromOpenssl.ok, fromOpenssl.error)}`);
  }
  // openssl does judge: the baseline chain passes and a missing intermediate fails
  assert.ok(openssl.get('basic.intermediate-ca-true')?.ok, 'openssl passes the baseline chain');
  assert.not.ok(openssl.get('path.missing-intermediate')?.ok, 'openssl fails a missing intermediate');
  assert.ok(disagreements < corpus.cases.length / 2, `${disagreements} disagreements`);
});

function verifyWithKubetls(chainCase: ChainCase): GoVerdict {
  // the leaf file's other certificates first, then the intermediates files: the oracle's order
  const [leaf, ...sent] = certificatesIn(chainCase.leaf);
  return goVerify(leaf!, {
    roots: chainCase.roots.flatMap(certificatesIn),
    intermediates: [...sent, ...chainCase.intermediates.flatMap(certificatesIn)],
    at: chainCase.at,
    dnsName: chainCase.dnsName,
    keyUsages: chainCase.keyUsages,
  });
}

/**
 * The oracle names the file of a root or intermediate Go cannot parse (`…/int.pem: x509: negative
 * serial number`); goVerify has no files, so it owes Go's parse error alone.
 */
function withoutFilePrefix(error: string | undefined, chainCase: ChainCase): string | undefined {
  for (const file of [chainCase.leaf, ...chainCase.roots, ...chainCase.intermediates]) {
    if (error?.startsWith(`${file}: `)) return error.slice(file.length + 2);
  }
  return error;
}

function describe(ok: boolean, error: string | undefined): string {
  return ok ? 'ok' : `"${error}"`;
}

function sha256(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

test.run();
