import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { breakCertificate } from '../src/pki/index.js';
import { correctAnswerText, createRandom, isCorrect, parseResponse, presentQuestion, type Question } from '../src/quiz/index.js';
import { generateSandboxQuestions } from '../src/quiz/sandbox-source.js';
import { CA_NAMES, CERTIFICATES } from './fixtures/quiz/reference-facts.js';
import { makeSandbox, removeTempDirs, runCli, tempDir } from './helpers.js';

/**
 * Questions generated from a sandbox PKI (src/quiz/sandbox-source.ts): their answers come from a
 * freshly generated PKI and from a broken one, and are checked here against the reference facts
 * and the faults that were injected, not against what the generator computed.
 */

function byId(questions: readonly Question[], id: string): Question {
  const found = questions.find((question) => question.id === id);
  if (!found) throw new Error(`no generated question ${id} (have: ${questions.map((question) => question.id).join(', ')})`);
  return found;
}

/** The keyed answer as a learner would see it: the choice text, or the accepted text. */
function keyed(question: Question): string {
  if (question.type === 'text') return (question.accepted[0] ?? []).join(', ');
  if (question.type === 'single') return question.choices[question.answer]?.text.en ?? '';
  throw new Error(`${question.id} is ${question.type}`);
}

/** The sandbox-relative path of the CA file a reference signer names. */
function caFile(signer: keyof typeof CA_NAMES): string {
  return (CA_NAMES[signer][0] ?? '').replace('/etc/kubernetes/', '');
}

test('a fresh sandbox: CNs, issuers and lifetimes are the reference\'s, with the sandbox\'s own node name', async () => {
  const sandbox = await makeSandbox({ nodeName: 'node-a1', advertiseAddress: '10.20.30.40' });
  const { questions, diagnostics } = generateSandboxQuestions({ dir: sandbox.dir });
  assert.equal(diagnostics, []);
  for (const [name, facts] of Object.entries(CERTIFICATES)) {
    const id = name.replace('/', '-');
    if (facts.signer === 'self') continue;
    const cn = facts.cn.replace('controlplane', 'node-a1');
    assert.is(keyed(byId(questions, `sandbox.cn.${id}`)), cn, `${name} CN`);
    assert.is(keyed(byId(questions, `sandbox.issuer.${id}`)), caFile(facts.signer), `${name} issuer`);
  }
  assert.is(keyed(byId(questions, 'sandbox.validity.apiserver')), '365 days');
  assert.is(keyed(byId(questions, 'sandbox.validity.admin')), '365 days');
  assert.is(keyed(byId(questions, 'sandbox.validity.ca')), '3650 days');
  const notSan = byId(questions, 'sandbox.not-a-san.apiserver');
  assert.is(keyed(notSan), '127.0.0.1');
  assert.ok(notSan.type === 'single' && notSan.choices.some((choice) => choice.text.en === 'node-a1') && notSan.choices.some((choice) => choice.text.en === '10.20.30.40'));
  assert.not.ok(questions.some((question) => question.id.startsWith('sandbox.missing-san')), 'nothing is missing');
  assert.not.ok(questions.some((question) => question.id === 'sandbox.expires-first'), 'everything expires together: no single answer');
});

test('a broken sandbox: the wrong CA, the removed SAN and the expired certificate are the answers', async () => {
  const sandbox = await makeSandbox();
  await breakCertificate({ dir: sandbox.dir, certificate: 'apiserver-etcd-client', fault: 'wrong-ca' });
  await breakCertificate({ dir: sandbox.dir, certificate: 'apiserver', fault: 'missing-san', san: 'kubernetes.default.svc' });
  await breakCertificate({ dir: sandbox.dir, certificate: 'etcd/server', fault: 'missing-san' });
  await breakCertificate({ dir: sandbox.dir, certificate: 'admin', fault: 'expired' });
  const { questions } = generateSandboxQuestions({ dir: sandbox.dir });
  const issuer = byId(questions, 'sandbox.issuer.apiserver-etcd-client');
  assert.is(keyed(issuer), caFile('ca'), 'signed by the cluster CA instead of etcd-ca');
  assert.is(issuer.difficulty, 3);
  assert.match(issuer.explanation.en, /wrong CA/);
  assert.is(keyed(byId(questions, 'sandbox.issuer.apiserver')), caFile('ca'), 'the others are untouched');
  assert.is(keyed(byId(questions, 'sandbox.missing-san.apiserver')), 'kubernetes.default.svc');
  assert.is(keyed(byId(questions, 'sandbox.missing-san.etcd-server')), '127.0.0.1', 'the address the apiserver dials');
  assert.is(keyed(byId(questions, 'sandbox.expires-first')), 'admin.conf');
});

test('every generated question reads in both languages and is answered right the way a learner types it', async () => {
  const sandbox = await makeSandbox();
  await breakCertificate({ dir: sandbox.dir, certificate: 'apiserver', fault: 'missing-san' });
  await breakCertificate({ dir: sandbox.dir, certificate: 'front-proxy-client', fault: 'expired' });
  const { questions } = generateSandboxQuestions({ dir: sandbox.dir });
  assert.ok(questions.length >= 30, `${questions.length} questions`);
  assert.is(new Set(questions.map((question) => question.id)).size, questions.length, 'unique ids');
  for (const question of questions) {
    assert.match(question.prompt["ko"] ?? "", /[가-힣]/, question.id);
    assert.match(question.explanation["ko"] ?? "", /[가-힣]/, question.id);
    assert.equal(question.origin, { kind: 'generated', source: `sandbox ${sandbox.dir}` });
    const presented = presentQuestion(question, createRandom(4));
    const shown = correctAnswerText(presented, 'en');
    const typed = question.type === 'single' ? (shown.split(')')[0] ?? '') : shown;
    const parsed = parseResponse(presented, typed);
    assert.ok(parsed.ok && isCorrect(question, parsed.response), `${question.id}: "${typed}"`);
  }
});

test('a directory that is not a sandbox gives one diagnostic and no questions', () => {
  const { questions, diagnostics } = generateSandboxQuestions({ dir: join(tempDir(), 'nothing') });
  assert.is(questions.length, 0);
  assert.is(diagnostics.length, 1);
  assert.match(diagnostics[0]?.message ?? '', /no sandbox questions: .*not a kubetls sandbox/);
});

test('quiz --plain --sandbox asks about the learner\'s own PKI; a missing sandbox is one line, exit 2', async () => {
  const sandbox = await makeSandbox({ nodeName: 'node-b2' });
  const config = tempDir('kubetls-quiz-');
  const answers = Array.from({ length: 40 }, () => 'node-b2').join('\n');
  const result = runCli(['quiz', '--plain', '--sandbox', sandbox.dir, '--topic', 'inspecting', '--count', '3', '--seed', '2'], { input: `${answers}\n`, env: { KUBETLS_CONFIG_DIR: config } });
  assert.is(result.status, 0, result.stderr);
  const lines = result.stdout.split('\n');
  const prompts = lines.filter((_, index) => /^Question \d\/3 · Inspecting certificates/.test(lines[index - 1] ?? ''));
  assert.is(prompts.length, 3);
  for (const prompt of prompts) assert.match(prompt, /^In your sandbox, what is the Common Name of /, 'only sandbox questions');
  assert.match(result.stdout.trimEnd().split('\n').pop() ?? '', /^Score: \d\/3 \(\d+%\)$/);
  const missing = runCli(['quiz', '--plain', '--sandbox', join(config, 'none')], { env: { KUBETLS_CONFIG_DIR: config } });
  assert.is(missing.status, 2);
  assert.is(missing.stderr.trimEnd().split('\n').length, 1);
  assert.match(missing.stderr, /^kubetls: --sandbox .*none: no sandbox questions: .*\(create one with `kubetls pki init --dir /);
});

test.after(() => removeTempDirs());

test.run();
