import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lessonIdForPath } from '../src/lessons/check.js';
import { findLesson, loadLessons, lessonsInLanguage } from '../src/lessons/load.js';
import { MIN_RENDER_WIDTH, plainText, renderLesson, renderMarkdown, renderPlain, wrapCodeLine, type CodeLinePart, type RenderedDocument, type StyledLine } from '../src/lessons/render.js';
import { columnStrips, columns, graphemes, sliceColumns, splitAtColumns, toAsciiDrawing } from '../src/lessons/text.js';

/** src/lessons/render.ts: every element of the sampler fixture, widths in terminal columns, ASCII fallback. */

const fixtures = fileURLToPath(new URL('../../test/fixtures/lessons/', import.meta.url));
const sampler = (lang: 'en' | 'ko'): string => readFileSync(join(fixtures, 'course', lang, '01-sampler.md'), 'utf8').replace(/^---[\s\S]*?\n---\n/, '');
const WIDTHS = [20, 24, 33, 40, 57, 60, 80, 100, 132];

function lineText(line: StyledLine): string {
  return line.map((span) => span.text).join('');
}

function widest(document: RenderedDocument): { width: number; line: string } {
  let result = { width: 0, line: '' };
  for (const line of document.lines) {
    const text = lineText(line);
    const width = columns(text);
    if (width > result.width) result = { width, line: text };
  }
  return result;
}

test('the sampler renders every element: headings, emphasis, call-outs, table, code, lists, quote, rule, image, diagram', () => {
  const text = renderPlain(sampler('en'), { width: 80 });
  // wrapping may put a line break inside a phrase: these are matched with whitespace collapsed
  const flowing: [string, RegExp][] = [
    ['bold and italic lose their markers', /A paragraph with bold, italic, both, struck,/],
    ['inline code keeps backticks in plain text', /`inline code`/],
    ['lesson link names its target', /the second lesson \[second\]/],
    ['web link shows its URL', /web page <https:\/\/kubernetes\.io\/docs\/setup\/best-practices\/certificates\/>/],
    ['sandbox link names its action', /sandbox step \[sandbox: verify:apiserver\]/],
    ['entities and escapes decoded', /Entities & escapes \*stay\* readable\./],
  ];
  const flowed = text.replace(/\s+/g, ' ');
  for (const [what, pattern] of flowing) assert.match(flowed, pattern, what);
  const expectations: [string, RegExp][] = [
    ['h1 with its underline', /^Every element a lesson can use\n═{30}$/m],
    ['h2 with its underline', /^Call-outs\n─{9}$/m],
    ['note without a title', /^┌─ NOTE ─+┐$/m],
    ['tip with a title', /^┌─ TIP: Read the CN first ─+┐$/m],
    ['info with a bracketed title', /^┌─ INFO: Bracketed title ─+┐$/m],
    ['warning', /^┌─ WARNING: Never copy ca\.key ─+┐$/m],
    ['danger', /^┌─ DANGER ─+┐$/m],
    ['call-out body inside the frame', /^│ Anyone holding it can mint any identity\. +│$/m],
    ['nested call-out inside the outer frame', /^│ ┌─ TIP: Inner call-out ─+┐ │$/m],
    ['table header between borders', /^│ file +│ +CN +│ +usage │$/m],
    ['table alignment: centre and right', /^│ `apiserver\.crt` +│ +`kube-apiserver` +│ +serverAuth │$/m],
    ['code block verbatim, indented', /^ {2}openssl x509 -in \/etc\/kubernetes\/pki\/apiserver\.crt -text -noout$/m],
    ['yaml indentation kept', /^ {6}- --client-ca-file=\/etc\/kubernetes\/pki\/ca\.crt$/m],
    ['ordered list', /^1\. First step$/m],
    ['nested bullet under an ordered item, one level down', /^ {3}◦ nested bullet one$/m],
    ['third level ordered', /^ {5}1\. deeper ordered item$/m],
    ['task list', /^• \[x\] a task that is done$/m],
    ['blockquote bar', /^│ A blockquote with a bold word\.$/m],
    ['rule', /^─{80}$/m],
    ['image placeholder', /^\[image: The chain of trust — images\/chain\.png\]$/m],
    ['diagram verbatim', /^│ kubectl  ├────────▶│ kube-apiserver │$/m],
  ];
  for (const [what, pattern] of expectations) assert.match(text, pattern, what);
  assert.not.match(text, /\*\*|:::|!\[|\]\(|^#/m, 'no raw markdown reaches the reader');
});

test('the model carries links, headings, the Try it line and the sandbox actions', () => {
  const library = loadLessons({ courseDir: join(fixtures, 'course') });
  const lesson = findLesson(library, 'sampler', 'en');
  assert.ok(lesson);
  const document = renderLesson(lesson!, { width: 60, lessonIdForPath: lessonIdForPath(lesson!, library) });
  assert.equal(
    document.links.map((link) => link.target),
    [{ kind: 'lesson', id: 'second' }, { kind: 'url', url: 'https://kubernetes.io/docs/setup/best-practices/certificates/' }, { kind: 'sandbox', action: 'verify:apiserver' }],
  );
  for (const link of document.links) assert.ok(lineText(document.lines[link.line] ?? []).includes(link.text.split(' ')[0] ?? '?'), `link "${link.text}" is on its line`);
  assert.equal(document.links.map((link) => link.text), ['the second lesson', 'web page', 'sandbox step']);
  assert.ok(document.tryIt !== undefined);
  assert.is(lineText(document.lines[document.tryIt ?? 0] ?? []), 'Try it');
  assert.equal(document.headings.filter((heading) => heading.level === 2).map((heading) => heading.text), ['Call-outs', 'A table', 'Code', 'Lists', 'A diagram', 'Try it']);
  assert.equal(
    document.sandboxActions.map((action) => action.text),
    ['pki-init', 'inspect:ca', 'handshake:etcd/server:apiserver-etcd-client', 'break:apiserver:missing-san', 'verify:apiserver'],
    'front matter actions first, then sandbox: links from the text',
  );
  const styles = new Set(document.lines.flat().map((span) => span.style));
  for (const style of ['heading', 'bold', 'italic', 'bold-italic', 'strike', 'code', 'link', 'frame', 'frame-title', 'table-border', 'table-header', 'code-block', 'diagram', 'image', 'rule', 'quote', 'dim'] as const) {
    assert.ok(styles.has(style), `a ${style} span`);
  }
  const frames = document.lines.flat().filter((span) => span.style === 'frame');
  assert.equal([...new Set(frames.map((span) => span.kind))].sort(), ['danger', 'info', 'note', 'tip', 'warning'], 'frames carry their kind for colour');
});

test('no line is wider than the width, in English and in Korean, at every width', () => {
  for (const lang of ['en', 'ko'] as const) {
    for (const width of WIDTHS) {
      for (const boxDrawing of ['unicode', 'ascii'] as const) {
        const result = widest(renderMarkdown(sampler(lang), { width, boxDrawing, quoteInlineCode: true }));
        assert.ok(result.width <= width, `${lang} at ${width} (${boxDrawing}): ${result.width} columns: "${result.line}"`);
      }
    }
  }
});

test('Korean wraps by columns: Hangul counts two, long unbroken words are cut, nothing is lost', () => {
  const width = 40;
  const document = renderMarkdown(sampler('ko'), { width });
  const text = plainText(document);
  assert.ok(document.lines.some((line) => columns(lineText(line)) >= width - 2), 'lines are filled close to the width, not at half of it');
  // every word of the source paragraph survives wrapping, in order
  const words = '쿠버네티스 클러스터는 네트워크로 서로 대화하는 몇 개의 프로그램으로 이루어져 있습니다.'.split(' ');
  assert.match(text.replace(/\s+/g, ' '), new RegExp(words.join(' ')));
  assert.ok(text.replace(/\s+/g, '').includes('아주긴한국어낱말이공백없이계속이어지면줄바꿈은글자단위로해야합니다그래도폭을넘으면안됩니다.'), 'a word longer than the width is cut, not dropped');
  assert.match(text, /┌─ WARNING: ca\.key를 복사하지 마세요 ─+┐/);
  assert.match(text, /│ 사용자\(CN\) +│/);
});

test('a shell command longer than the width continues after " \\" between words, and runs the same when copied', () => {
  const commands = [
    `kubectl get csr jane -o jsonpath='{.spec.request}' --since "10 min ago" --as jane --as-group developers`,
    'kubetls verify ~/kubetls-lab/pki/apiserver.crt --ca ~/kubetls-lab/pki/ca.crt --host kubernetes.default.svc --purpose server',
    'kubectl -n kube-system get configmap kubeadm-config -o yaml   # start from the live config, which is long enough to wrap twice',
  ];
  // what the shell makes of each command as copied from the screen: its words, one per field
  const words = (command: string) => spawnSync('bash', ['-c', `f() { printf '%s|' "$@"; }; f ${command}`], { encoding: 'utf8' }).stdout;
  for (const command of commands) {
    const lines = renderMarkdown(`\`\`\`bash\n${command}\n\`\`\`\n`, { width: 40 }).lines.map(lineText);
    assert.ok(lines.length > 1 && lines.every((line) => columns(line) <= 40), lines.join('\n'));
    assert.not.match(lines.join('\n'), /↪/, 'no marker in a command');
    assert.ok(lines.slice(0, -1).every((line) => line.endsWith(' \\') || /^ +# /.test(line)), lines.join('\n'));
    assert.is(words(lines.map((line) => line.slice(2)).join('\n')), words(command), lines.join('\n'));
  }
  const [, verify, comment] = commands.map((command) => renderMarkdown(`\`\`\`bash\n${command}\n\`\`\`\n`, { width: 40 }).lines.map(lineText).join('\n'));
  assert.match(verify!, / --purpose server$/m, 'a flag stays with its value');
  assert.match(comment!, /^ {6}# start from/m);
  assert.match(comment!, /^ {6}# .*twice$/m, 'a comment goes on with #');
});

test('other code (output, YAML) breaks at a space and marks the continuation; the pieces join back to the line', () => {
  const long = 'x509: certificate is valid for controlplane, kubernetes, kubernetes.default, not lb.example.com';
  const document = renderMarkdown(`\`\`\`text\n${long}\nshort\n\`\`\`\n`, { width: 40 });
  const lines = document.lines.map(lineText);
  assert.ok(lines.every((line) => columns(line) <= 40), lines.join('\n'));
  assert.ok(lines[1]?.startsWith('  ↪ '), 'the continuation is marked');
  assert.is(lines[0]?.trimEnd(), '  x509: certificate is valid for');
  assert.is(lines.map((line, index) => (index === 0 ? line.slice(2) : line.replace(/^ {2}(↪ )?/, ''))).slice(0, -1).join(' ').replace(/ +/g, ' '), long, 'nothing changed');
  assert.is(lines[lines.length - 1], '  short');
});

const pieces = (parts: CodeLinePart[]) => parts.map((part) => `${part.continued ? '↪ ' : ''}${part.text}`);

test('a code line breaks at the last boundary that fits: a space, else after = / , or before a flag; a YAML dash stays with its item', () => {
  // lesson 8 at 80 columns (78 beside the code indent) and in the reader (75)
  const flag = '      - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt';
  assert.equal(pieces(wrapCodeLine(flag, 78, false)), ['      - --kubelet-client-certificate=/etc/kubernetes/pki/', '↪ apiserver-kubelet-client.crt']);
  assert.equal(pieces(wrapCodeLine(flag, 75, false)), ['      - --kubelet-client-certificate=/etc/kubernetes/pki/', '↪ apiserver-kubelet-client.crt']);
  assert.equal(pieces(wrapCodeLine(flag, 40, false)), ['      - --kubelet-client-certificate=/', '↪ etc/kubernetes/pki/', '↪ apiserver-kubelet-client.crt']);
  const unit = 'Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"';
  assert.equal(pieces(wrapCodeLine(unit, 78, false)), ['Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/', '↪ bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"']);
  assert.equal(pieces(wrapCodeLine('args: a,b,c,dddddddddd', 12, false)), ['args:', '↪ a,b,c,', '↪ dddddddddd'], 'a space first, then after a comma');
  assert.equal(pieces(wrapCodeLine('ARGS="--verbose"', 12, false)), ['ARGS="', '↪ --verbose"'], 'before a flag\'s -, the last boundary that fits');
  assert.equal(pieces(wrapCodeLine('NAME      GROUPS      SERVICEACCOUNTS', 24, false)), ['NAME      GROUPS', '↪ SERVICEACCOUNTS'], 'the spaces at a break are not carried over');
  assert.equal(pieces(wrapCodeLine('  - apiserver-kubelet-client', 12, false)), ['  - apiserve', '↪ r-kubelet-', '↪ client'], 'no boundary but the dash\'s own space: cut, the dash kept with its item');
});

test('a code line with no boundary at all is cut at the width, and nothing is lost', () => {
  const digest = '    e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const parts = wrapCodeLine(digest, 40, false);
  assert.equal(parts.map((part) => columns(part.text)), [40, 28]);
  assert.is(parts.map((part) => part.text).join(''), digest);
  assert.equal(parts.map((part) => part.continued), [false, true]);
});

test('a shell command in a code line goes on after " \\" between words, unmarked', () => {
  const parts = wrapCodeLine('kubetls verify ~/kubetls-lab/pki/apiserver.crt --ca ~/kubetls-lab/pki/ca.crt --purpose server', 40, true);
  assert.equal(pieces(parts), ['kubetls verify \\', '    ~/kubetls-lab/pki/apiserver.crt \\', '    --ca ~/kubetls-lab/pki/ca.crt \\', '    --purpose server']);
});

test('every lesson, English and Korean, at 80 columns and in the reader at 80: no code word is cut where its piece had a boundary', () => {
  const library = loadLessons();
  const word = /[\p{L}\p{N}_]/u;
  for (const lang of ['en', 'ko'] as const) {
    for (const lesson of lessonsInLanguage(library, lang)) {
      for (const [, info, code] of lesson.body.matchAll(/^ *```([^\n]*)\n([\s\S]*?)^ *```/gm)) {
        const shell = /^(bash|sh|shell|console|zsh)\b/.test(info!.trim());
        for (const line of code!.split('\n')) {
          for (const width of [78, 75]) {
            const parts = wrapCodeLine(line, width, shell);
            // a shell command's lines end in ` \\` between words; one cut like other code is marked
            if (!parts.some((part) => part.continued)) continue;
            let at = 0;
            parts.forEach((part, index) => {
              at = line.indexOf(part.text, at) + part.text.length;
              const next = parts[index + 1]?.text;
              if (next === undefined || !line.startsWith(next, at)) return;
              if (!word.test(part.text.slice(-1)) || !word.test(next[0]!)) return;
              const kept = /^\s*(?:-\s+)?/.exec(part.text)![0].length;
              assert.not.match(part.text.slice(kept), /[ =/,]/, `${lesson.file} at ${width + 2}: "${part.text}" / "${next}"`);
            });
          }
        }
      }
    }
  }
});

test('a diagram wider than the width is shown in column strips that keep its shape', () => {
  const diagram = '┌────────────────────────────────┐\n│ a box thirty-four columns wide │\n└────────────────────────────────┘';
  const lines = renderMarkdown(`\`\`\`diagram\n${diagram}\n\`\`\`\n`, { width: 20 }).lines.map(lineText);
  assert.ok(lines.every((line) => columns(line) <= 20), lines.join('\n'));
  assert.equal(lines.slice(0, 4), ['(diagram, columns', '1–20 of 34)', '┌───────────────────', '│ a box thirty-four']);
  const secondStrip = lines.indexOf('(diagram, columns') === 0 ? lines.lastIndexOf('(diagram, columns') : -1;
  assert.ok(secondStrip > 0);
  assert.equal(lines.slice(secondStrip + 2), ['─────────────┐', 'columns wide │', '─────────────┘']);
});

test('ASCII mode redraws boxes, arrows and bullets, one column for one', () => {
  assert.is(toAsciiDrawing('┌─┐│└┘├┤┬┴┼ → ← ↑ ↓ ▶ ◀ • ═'), '+-+|+++++++ > < ^ v > < * =');
  const unicode = renderMarkdown(sampler('en'), { width: 70 }).lines.map(lineText);
  const ascii = renderMarkdown(sampler('en'), { width: 70, boxDrawing: 'ascii' }).lines.map(lineText);
  assert.is(ascii.length, unicode.length);
  ascii.forEach((line, index) => assert.is(columns(line), columns(unicode[index] ?? ''), `line ${index} keeps its width`));
  const text = ascii.join('\n');
  assert.match(text, /^\| kubectl  \+-------->\| kube-apiserver \|$/m);
  assert.match(text, /^\+- TIP: Read the CN first -+\+$/m);
  assert.not.match(text, /[─│┌┐└┘├┤┬┴┼→←↑↓▶◀•═]/, 'nothing left that needs line drawing');
  for (const character of '─│┌┐└┘├┤┬┴┼→←↑↓▶◀•◦▪═…—↪') assert.is(columns(character), 1, `${character} is one column`);
});

test('a table too wide for columns is stacked as header: value lines', () => {
  const table = '| certificate file | common name | organization | extended key usage |\n|---|---|---|---|\n| apiserver-kubelet-client.crt | kube-apiserver-kubelet-client | kubeadm:cluster-admins | clientAuth |\n';
  const lines = renderMarkdown(table, { width: 24 }).lines.map(lineText);
  assert.ok(lines.every((line) => columns(line) <= 24), lines.join('\n'));
  assert.ok(lines.some((line) => line.startsWith('common name:')), lines.join('\n'));
  assert.ok(lines.join(' ').includes('kubeadm:cluster-admins'));
  const wide = renderMarkdown(table, { width: 100 }).lines.map(lineText);
  assert.match(wide[1] ?? '', /^│ certificate file +│ common name +│ organization +│ extended key usage │$/);
});

test('a call-out that is never closed still renders, and says so', () => {
  const text = renderPlain(':::tip Forgot\nInside.\n', { width: 40 });
  assert.match(text, /┌─ TIP: Forgot ─+┐\n│ Inside\. +│\n│ \(this call-out is never closed with :::\) *│\n└─+┘/);
});

test("the renderer speaks the lesson's language: call-out labels, image, diagram and unclosed notes in Korean", () => {
  const text = renderPlain(sampler('ko'), { width: 60, language: 'ko' });
  assert.match(text, /┌─ 경고: ca\.key를 복사하지 마세요 ─+┐/);
  assert.match(renderPlain(':::note\n본문\n:::\n', { width: 40, language: 'ko' }), /┌─ 참고 ─+┐/);
  assert.not.match(text, /┌─ (?:NOTE|TIP|INFO|WARNING|DANGER|CAUTION)\b/);
  assert.match(renderPlain('![](diagram.png)', { width: 60, language: 'ko' }), /\[그림: 설명 없음 — diagram\.png\]/);
  assert.match(renderPlain(':::tip 잊음\n안쪽.\n', { width: 60, language: 'ko' }), /┌─ 팁: 잊음 ─+┐\n│ 안쪽\. +│\n│ \(이 안내 상자는 :::로 닫히지 않았습니다\) *│/);
  const wide = '```diagram\n' + `${'─'.repeat(70)}\n` + '```\n';
  assert.match(renderPlain(wide, { width: 40, language: 'ko' }), /^\(다이어그램, 전체 70열 중 1–40열\)$/m);
  // a lesson's own language wins: a course lesson in Korean labels its call-outs in Korean whatever the caller asked
  const library = loadLessons();
  const korean = findLesson(library, 'cluster-ca', 'ko');
  assert.ok(korean);
  assert.match(plainText(renderLesson(korean!, { width: 80, language: 'en' })), /┌─ 위험: /);
  const english = findLesson(library, 'cluster-ca', 'en');
  assert.match(plainText(renderLesson(english!, { width: 80, language: 'ko' })), /┌─ DANGER: /);
});

test('very narrow widths drop decorations instead of overflowing', () => {
  for (const width of [MIN_RENDER_WIDTH, 11, 13, 15]) {
    for (const lang of ['en', 'ko'] as const) {
      const result = widest(renderMarkdown(sampler(lang), { width }));
      assert.ok(result.width <= width, `${lang} at ${width}: "${result.line}"`);
    }
  }
  assert.throws(() => renderMarkdown('x', { width: MIN_RENDER_WIDTH - 1 }), /at least 10/);
});

test('column helpers: slicing by columns pads cut wide characters', () => {
  assert.is(sliceColumns('가나다', 1, 4), ' 나 ');
  assert.is(sliceColumns('abc', 0, 5), 'abc  ');
  assert.is(columns('한국어 abc'), 10);
});

test('graphemes are ICU\'s graphemes, with or without the segmenter (it is created only for text that can join code points)', () => {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const samples = ['plain ASCII', '한국어 문장과 ┌─┐ → —', 'e\u0301', '\u1100\u1161\u11a8 jamo', '🇰🇷🇯🇵', '👍🏽', '👨‍👩‍👧', '❤️', 'a\r\nb', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', 'x\u200by', '가\u0301'];
  for (const sample of samples) {
    for (const text of [sample, `${'가'.repeat(63)}${sample}`, `${'a'.repeat(63)}${sample}b`]) {
      assert.equal(graphemes(text), Array.from(segmenter.segment(text), (s) => s.segment), JSON.stringify(text));
    }
  }
});

test('control characters in a lesson never reach the terminal', () => {
  const text = renderPlain('evil \u001b[31mred\u001b[0m and \u0007bell', { width: 40 });
  assert.not.match(text, /[\u0000-\u0008\u000B-\u001F\u007F]/);
  assert.match(text, /evil \[31mred\[0m and bell/);
});

test('column helpers read long text in pieces and give what they give for short text, at every piece boundary', () => {
  // graphemes that must not be split: an accent, a ZWJ family, a flag, CR LF, placed across the 64- and 512-character pieces
  for (const joined of ['e\u0301', '👨‍👩‍👧', '🇰🇷', '\r\n', '❤️', '한']) {
    for (const offset of [60, 62, 63, 64, 120, 127, 128, 500, 510, 511, 512, 1020]) {
      const text = `${'a'.repeat(offset)}${joined}${'b'.repeat(700)}`;
      assert.equal(graphemes(text), [...'a'.repeat(offset), joined, ...'b'.repeat(700)], `${JSON.stringify(joined)} at ${offset}`);
      assert.is(columns(text), offset + columns(joined) + 700, `${JSON.stringify(joined)} at ${offset}`);
      const [head, rest] = splitAtColumns(text, offset + 1);
      assert.is(head + rest, text);
    }
  }
  const wide = '가나다라마'.repeat(300);
  assert.is(columns(wide), columns(wide));
  assert.equal(columnStrips(wide, 7), Array.from({ length: Math.ceil(3000 / 7) }, (_, index) => sliceColumns(wide, index * 7, 7)));
  assert.equal(columnStrips('ab가', 3), ['ab ', ' ', ].map((strip) => strip.padEnd(3)));
});

// hang guards, not speed tests: each took from 13 s to minutes before (a 200,000-character line: 97 s)
const LONG = 200_000;
const HANG_GUARD_MS = 30_000;

test('a 200,000-character line renders, whatever it is made of, and every line fits the width', () => {
  const shapes: [string, string][] = [
    ['words', 'word '.repeat(LONG / 5)],
    ['one word', 'x'.repeat(LONG)],
    ['Hangul', '한'.repeat(LONG)],
    ['emoji', '😀'.repeat(LONG / 2)],
    ['accents', 'e\u0301'.repeat(LONG / 2)],
    ['code block', `\`\`\`\n${'x'.repeat(LONG)}\n\`\`\``],
    ['code with tabs', `\`\`\`\n${'a\t'.repeat(LONG / 2)}\n\`\`\``],
    ['diagram', `\`\`\`diagram\n${'한'.repeat(LONG)}\n+--+\n\`\`\``],
    ['table cell', `| a | b |\n|---|---|\n| ${'한'.repeat(LONG)} | y |`],
    ['heading', `# ${' '.repeat(LONG)}x`],
    ['emphasis pairs', `${'*a '.repeat(LONG / 6)}${' a*'.repeat(LONG / 6)}`],
    ['mixed emphasis', '*_a '.repeat(LONG / 4)],
    ['spaces', `${' '.repeat(LONG)}x`],
  ];
  for (const [shape, text] of shapes) {
    const started = performance.now();
    const document = renderMarkdown(text, { width: 80 });
    assert.ok(performance.now() - started < HANG_GUARD_MS, `${shape}: finished`);
    assert.ok(widest(document).width <= 80, `${shape}: fits`);
  }
});

test('nesting no lesson needs is bounded: deep quotes, lists and call-outs render instead of overflowing the stack', () => {
  const shapes: [string, string][] = [
    ['quotes', `${'>'.repeat(5000)} deep`],
    ['lists', Array.from({ length: 1000 }, (_, depth) => `${' '.repeat(depth * 2)}- item ${depth}`).join('\n')],
    ['call-outs', `${':::tip\n'.repeat(5000)}deep`],
  ];
  for (const [shape, text] of shapes) {
    const started = performance.now();
    const plain = renderPlain(text, { width: 60 });
    assert.ok(performance.now() - started < HANG_GUARD_MS, `${shape}: finished`);
    assert.match(plain, /deep|item 999/, shape);
  }
  // a paragraph with more emphasis than any lesson shows its stars as written; ordinary emphasis is untouched
  assert.match(renderPlain(`${'*a* '.repeat(300)}`, { width: 60 }), /^\*a\* \*a\*/);
  assert.match(renderPlain('a *b* c', { width: 60 }), /^a b c$/);
});

test('every lesson of the real course renders within 40 and 80 columns', () => {
  const library = loadLessons();
  for (const lang of ['en', 'ko'] as const) {
    for (const lesson of lessonsInLanguage(library, lang)) {
      for (const width of [40, 80]) {
        const result = widest(renderLesson(lesson, { width, quoteInlineCode: true }));
        assert.ok(result.width <= width, `${lesson.file} at ${width}: "${result.line}"`);
      }
    }
  }
});

test.run();
