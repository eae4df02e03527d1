import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { endingOf, particleFor, withParticle, type Particle } from '../src/locale/particles.js';
import { availableLanguages, catalogue, catalogueProblems, fill, translate } from '../src/locale/catalogue.js';
import { compileCatalogue, compileCatalogues } from '../src/build/locales.js';
import { REPO_ROOT, tempDir } from './helpers.js';

// word, particle asked for, what a Korean reader writes
const CASES: [string, Particle, string][] = [
  ['인증서', '을', '인증서를'],
  ['키', '을', '키를'],
  ['서명', '을', '서명을'],
  ['파일', '으로', '파일로'],
  ['디렉터리', '으로', '디렉터리로'],
  ['인증 기관', '이', '인증 기관이'],
  ['apiserver', '을', 'apiserver를'],
  ['kube-apiserver', '은', 'kube-apiserver는'],
  ['80x24', '이', '80x24가'],
  ['--proxy-client-key-file', '은', '--proxy-client-key-file은'],
  ['--proxy-client-key-file', '으로', '--proxy-client-key-file로'],
  ['ca.key', '을', 'ca.key를'],
  ['ca.crt', '과', 'ca.crt와'],
  ['admin.conf', '이', 'admin.conf가'],
  ['kube-apiserver.yaml', '을', 'kube-apiserver.yaml을'],
  ['kube-apiserver.yaml', '으로', 'kube-apiserver.yaml로'],
  ['etcd', '은', 'etcd는'],
  ['kubelet', '이', 'kubelet이'],
  ['kubectl', '으로', 'kubectl로'],
  ['kubeadm', '을', 'kubeadm을'],
  ['CA', '을', 'CA를'],
  ['CSR', '이', 'CSR이'],
  ['SAN', '이', 'SAN이'],
  ['PKI', '은', 'PKI는'],
  ['HSM', '과', 'HSM과'],
  ['TLS', '을', 'TLS를'],
  ['10', '이', '10이'],
  ['2', '을', '2를'],
  ['3', '은', '3은'],
  ['7', '으로', '7로'],
  ['100', '과', '100과'],
  ['6443', '으로', '6443으로'],
  ['0', '이', '0이'],
  ['"system:masters"', '을', '"system:masters"를'],
  ['(apiserver.crt)', '이', '(apiserver.crt)가'],
  ['sa.pub', '을', 'sa.pub을'],
  ['users/jane', '이', 'users/jane이'],
  ['Kim Minji', '은', 'Kim Minji는'],
  ['front-proxy-client', '을', 'front-proxy-client를'],
  ['system:kube-scheduler', '이', 'system:kube-scheduler가'],
  ['apiserver-etcd-client.crt', '와', 'apiserver-etcd-client.crt와'],
  ['node', '으로', 'node로'],
  ['token', '으로', 'token으로'],
  ['secret', '이', 'secret이'],
  ['manifest', '를', 'manifest를'],
  ['cat', '이', 'cat이'],
  ['cake', '이', 'cake가'],
  ['signal', '으로', 'signal로'],
];

for (const [word, particle, expected] of CASES) {
  test(`${word} + ${particle} -> ${expected}`, () => {
    assert.is(withParticle(word, particle), expected);
  });
}

test('either form of a pair may be asked for', () => {
  assert.is(particleFor('인증서', '를'), '를');
  assert.is(particleFor('서명', '를'), '을');
  assert.is(particleFor('파일', '로'), '로');
  assert.is(particleFor('서명', '로'), '으로');
});

test('the final ㄹ takes 로 but 은/이/을/과 like any final consonant', () => {
  assert.is(endingOf('파일'), 'rieul');
  assert.is(particleFor('파일', '은'), '은');
  assert.is(particleFor('파일', '으로'), '로');
});

test('the shipped catalogues agree: same keys, same placeholders, known particles', () => {
  const catalogues = compileCatalogues();
  assert.equal(catalogueProblems(catalogues), []);
  assert.equal(availableLanguages().slice(0, 1), ['en']);
  for (const code of availableLanguages()) assert.equal(catalogue(code), catalogues[code], `dist/locales/${code}.json is the compiled locales/${code}/`);
});

test('a placeholder with a particle takes the form its word needs', () => {
  assert.is(fill('{cert|을} 갱신했습니다', { cert: 'apiserver' }), 'apiserver를 갱신했습니다');
  assert.is(fill('{cert|을} 갱신했습니다', { cert: 'front-proxy-ca' }), 'front-proxy-ca를 갱신했습니다');
  assert.is(fill('{host|은} CN에만', { host: 'kubernetes.default.svc' }), 'kubernetes.default.svc는 CN에만');
  assert.is(translate('ko', 'verify.explain.hostname-cn', { host: 'etcd' }).startsWith('인증서에 SAN 확장이 없고 etcd는 CN에만'), true);
});

test('catalogue problems name the language, the key and what is wrong', () => {
  const problems = catalogueProblems({
    en: { 'a.b': 'Renewed {cert}', 'a.c': 'x' },
    ko: { 'a.b': '{name|을} 갱신', 'a.d': 'y' },
  });
  assert.equal(problems, [
    'ko: a.b: placeholders {name} differ from en\'s {cert}',
    'ko: a.d: not in en',
    'ko: a.c: missing',
  ]);
  assert.equal(catalogueProblems({ en: { k: '{x|에게}' } }), ['en: k: "에게" is not a particle kubetls knows']);
});

test('a catalogue that is not a map of strings is refused with its file and line', () => {
  assert.throws(() => compileCatalogue('verify:\n  why:\n    - a list\n', 'xx.yaml'), /^xx\.yaml:3: verify\.why must be a string or a map/);
  assert.throws(() => compileCatalogue('verify: [\n', 'xx.yaml'), /^xx\.yaml:\d+: /);
  const dir = tempDir();
  mkdirSync(join(dir, 'locales', 'en'), { recursive: true });
  mkdirSync(join(dir, 'locales', 'ko'));
  writeFileSync(join(dir, 'locales', 'en', 'part.yaml'), 'a: one {x}\n');
  writeFileSync(join(dir, 'locales', 'ko', 'part.yaml'), 'a: 하나\n');
  assert.throws(() => compileCatalogues(join(dir, 'locales')), /ko: part\.a: placeholders \{\} differ from en's \{x\}/);
  writeFileSync(join(dir, 'locales', 'ko', 'part.yaml'), 'a: 하나 {x}\n');
  assert.equal(compileCatalogues(join(dir, 'locales'))['ko'], { 'part.a': '하나 {x}' });
});

/** Every .ts file under a folder of src/. */
function sourcesUnder(folder: string): string[] {
  return readdirSync(join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(join(REPO_ROOT, folder, file), 'utf8'));
}

test('every key the app asks the catalogues for exists in every language', () => {
  const used = new Set<string>();
  for (const source of sourcesUnder('src/tui')) {
    // t('key', …), shell.t(cond ? 'a' : 'b', …), and the keymap's and menu's label:/hint: keys
    // (a literal compared with === or !== is the condition, not a key)
    for (const call of source.matchAll(/\bt\(([^,)]*)/g)) for (const literal of call[1]!.matchAll(/(?<![=!]==\s*)'([A-Za-z][A-Za-z0-9]*)'/g)) used.add(literal[1]!);
    for (const field of source.matchAll(/\b(?:label|hint)(?:: | = )'([A-Za-z][A-Za-z0-9]*)'/g)) used.add(field[1]!);
  }
  assert.ok(used.size > 100, `${used.size} keys found`);
  for (const language of availableLanguages()) {
    const missing = [...used].filter((key) => catalogue(language)[`app.${key}`] === undefined);
    assert.equal(missing, [], `${language}: app keys the code uses`);
  }
});

test.run();
