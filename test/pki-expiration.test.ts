import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { breakCertificate, checkExpiration, formatExpirationReport, initSandbox, shortHumanDuration } from '../src/pki/index.js';
import { removeTempDirs, tempDir, TEST_CLUSTER } from './helpers.js';

/** check-expiration prints kubeadm's table, names and columns included. */

test.after(removeTempDirs);

const NOW = new Date('2026-06-15T08:30:00Z');

test('the two tables, as kubeadm certs check-expiration prints them', async () => {
  const { dir } = await initSandbox({ dir: tempDir(), cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256', now: NOW } });
  // an hour after kubeadm init, as a learner would run it
  const text = formatExpirationReport(checkExpiration(dir, new Date(NOW.getTime() + 3_600_000)));
  const lines = text.split('\n');
  assert.is(lines[0], 'CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED');
  assert.is(lines[1], 'admin.conf                 Jun 15, 2027 08:30 UTC   364d            ca                      no      ');
  const names = lines.slice(1, 12).map((l) => l.split(' ')[0]);
  assert.equal(names, [
    'admin.conf', 'apiserver', 'apiserver-etcd-client', 'apiserver-kubelet-client', 'controller-manager.conf', 'etcd-healthcheck-client',
    'etcd-peer', 'etcd-server', 'front-proxy-client', 'scheduler.conf', 'super-admin.conf',
  ]);
  assert.ok(!text.includes('kubelet.conf'), 'the kubelet rotates its own client certificate; kubeadm does not list it');
  assert.match(text, /\napiserver-etcd-client +Jun 15, 2027 08:30 UTC +364d +etcd-ca +no/);
  assert.match(text, /\nfront-proxy-client +Jun 15, 2027 08:30 UTC +364d +front-proxy-ca +no/);
  assert.match(text, /\n\nCERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED\nca                      Jun 12, 2036 08:30 UTC   9y              no      \n/);
});

test('in a narrow window each table is split in two that share the name column, so no column is cut', async () => {
  const { dir } = await initSandbox({ dir: tempDir(), cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256', now: NOW } });
  const report = checkExpiration(dir, new Date(NOW.getTime() + 3_600_000));
  // the app's dialog at 80 columns has 72 for text
  const narrow = formatExpirationReport(report, 72);
  assert.ok(narrow.split('\n').every((line) => line.trimEnd().length <= 72), narrow);
  for (const header of ['CERTIFICATE AUTHORITY', 'EXTERNALLY MANAGED', 'RESIDUAL TIME']) assert.ok(narrow.includes(header), header);
  assert.match(narrow, /\napiserver-etcd-client +etcd-ca +no/);
  assert.is(narrow.match(/^admin\.conf /gm)?.length, 2, 'each certificate in both halves');
  assert.is(formatExpirationReport(report, 200), formatExpirationReport(report), 'wide enough: kubeadm\'s own layout');
});

test('expired, missing, and an external CA (ca.key removed)', async () => {
  const { dir } = await initSandbox({ dir: tempDir(), cluster: { ...TEST_CLUSTER, keyType: 'ecdsa-p256' } });
  await breakCertificate({ dir, certificate: 'apiserver', fault: 'expired' });
  rmSync(join(dir, 'pki/front-proxy-client.crt'));
  rmSync(join(dir, 'pki/ca.key'));
  const report = checkExpiration(dir);
  const row = (name: string) => report.certificates.find((r) => r.name === name)!;
  assert.is(shortHumanDuration(row('apiserver').residualSeconds!), '<invalid>');
  assert.ok(row('front-proxy-client').missing);
  assert.ok(row('admin.conf').externallyManaged, 'certificates signed by a CA whose key is absent are externally managed');
  assert.not.ok(row('etcd-server').externallyManaged);
  assert.ok(report.authorities.find((r) => r.name === 'ca')!.externallyManaged);
  const text = formatExpirationReport(report);
  assert.match(text, /!MISSING! front-proxy-client/);
  assert.match(text, /\napiserver +\w{3} \d\d, \d{4} \d\d:\d\d UTC +<invalid> +ca +yes/);
});

test('residual time in apimachinery ShortHumanDuration units', () => {
  assert.is(shortHumanDuration(-5), '<invalid>');
  assert.is(shortHumanDuration(-1), '0s');
  assert.is(shortHumanDuration(59), '59s');
  assert.is(shortHumanDuration(3599), '59m');
  assert.is(shortHumanDuration(86399), '23h');
  assert.is(shortHumanDuration(364 * 86400), '364d');
  assert.is(shortHumanDuration(365 * 86400), '1y');
  assert.is(shortHumanDuration(3650 * 86400), '10y');
});

test('a directory without pki/ is one clear error', () => {
  assert.throws(() => checkExpiration(tempDir()), /has no pki\/ directory/);
});

test.run();
