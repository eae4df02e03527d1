import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { encodePem } from '../../src/pki/certificates/pem.js';
import { certificatesIn, type ChainCase } from './chain-corpus.js';

/** A chain case judged by `openssl verify -x509_strict`: the README lists where it and Go part ways. */

export interface OpensslVerdict {
  ok: boolean;
  /** `error 20 at depth 0: unable to get local issuer certificate`; undefined when ok. */
  error: string | undefined;
}

const PURPOSE = { serverAuth: 'sslserver', clientAuth: 'sslclient', any: 'any' } as const;

/** `scratch` holds the bundles openssl wants as single files. Several key usages pass if any one does, as in Go. */
export function opensslVerdict(chainCase: ChainCase, scratch: string): OpensslVerdict {
  const [leaf, ...sent] = certificatesIn(chainCase.leaf);
  const untrusted = [...sent, ...chainCase.intermediates.flatMap(certificatesIn)];
  const files = { leaf: join(scratch, `${chainCase.id}.leaf.pem`), roots: join(scratch, `${chainCase.id}.roots.pem`), untrusted: join(scratch, `${chainCase.id}.untrusted.pem`) };
  writeFileSync(files.leaf, encodePem('CERTIFICATE', leaf!));
  writeFileSync(files.roots, chainCase.roots.map((file) => readFileSync(file, 'utf8')).join(''));
  writeFileSync(files.untrusted, untrusted.map((der) => encodePem('CERTIFICATE', der)).join(''));

  const host = chainCase.dnsName?.replace(/^\[(.*)\]$/, '$1');
  const hostArgs = host === undefined ? [] : isIP(host) ? ['-verify_ip', host] : ['-verify_hostname', host];
  const usages = chainCase.keyUsages?.length ? chainCase.keyUsages : (['serverAuth'] as const);
  let first: OpensslVerdict | undefined;
  for (const usage of usages) {
    const run = spawnSync('openssl', [
      'verify', '-x509_strict', '-CAfile', files.roots, ...(untrusted.length > 0 ? ['-untrusted', files.untrusted] : []),
      '-attime', String(Math.floor(chainCase.at.getTime() / 1000)), '-purpose', PURPOSE[usage], ...hostArgs, files.leaf,
    ], { encoding: 'utf8' });
    if (run.error) throw new Error(`cannot run openssl: ${run.error.message}`);
    const failure = `${run.stdout}\n${run.stderr}`.match(/^error (\d+) at (\d+) depth lookup: (.*)$/m);
    const verdict: OpensslVerdict = run.status === 0 ? { ok: true, error: undefined }
      : { ok: false, error: failure ? `error ${failure[1]} at depth ${failure[2]}: ${failure[3]}` : (run.stderr.trim().split('\n')[0] ?? `status ${run.status}`) };
    if (verdict.ok) return verdict;
    first ??= verdict;
  }
  return first!;
}
