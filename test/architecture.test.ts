import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type Node } from 'acorn';
import { ancestor } from 'acorn-walk';
import { packagePath } from '../src/package-root.js';

/**
 * The layers (ARCHITECTURE.md, .dependency-cruiser.cjs) on the compiled modules: the core never reaches
 * the app, the command line or blessed; the app never reaches the command line; no import circles.
 */

test('dependency rules: no layer reaches upward, no circles', () => {
  const cli = packagePath('node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  const result = spawnSync(process.execPath, [cli, '--config', '.dependency-cruiser.cjs', '--output-type', 'err', 'dist/src'], { cwd: packagePath(), encoding: 'utf8' });
  assert.is(result.status, 0, `${result.stdout}${result.stderr}`);
  assert.match(result.stdout, /no dependency violations found/);
});

/** STYLE.md: keep functions small. Measured on the compiled JavaScript, nested functions included. */
const MAX_FUNCTION_LINES = 80;

function compiledFiles(): string[] {
  const root = packagePath('dist', 'src');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.c?js$/.test(file))
    .map((file) => join(root, file));
}

/** The name a function is known by: its own, or the variable, property or method it is assigned to. */
function functionName(node: Node & { id?: { name: string } | null }, parent: Node | undefined): string {
  const holder = parent as { id?: { name?: string }; key?: { name?: string }; left?: { property?: { name?: string } } } | undefined;
  return node.id?.name ?? holder?.id?.name ?? holder?.key?.name ?? holder?.left?.property?.name ?? '(anonymous)';
}

function longFunctions(source: string, sourceType: 'module' | 'script' = 'module'): { name: string; lines: number }[] {
  const tree = parse(source, { ecmaVersion: 'latest', sourceType, locations: true, allowHashBang: true });
  const found: { name: string; lines: number }[] = [];
  ancestor(tree, {
    Function(node, _state, ancestors) {
      const lines = node.loc!.end.line - node.loc!.start.line + 1;
      if (lines > MAX_FUNCTION_LINES) found.push({ name: functionName(node, ancestors[ancestors.length - 2]), lines });
    },
  });
  return found;
}

test(`no function longer than ${MAX_FUNCTION_LINES} lines`, () => {
  const files = compiledFiles();
  assert.ok(files.length > 100, `${files.length} compiled files`);
  const long = files.flatMap((file) => longFunctions(readFileSync(file, 'utf8'), file.endsWith('.cjs') ? 'script' : 'module').map((found) => ({ ...found, file })));
  const offending = long.map((found) => `${found.name} (${found.lines} lines) in ${found.file}`);
  assert.equal(offending, [], 'split these into well-named pieces');
});

test('the function length check sees what it should: a long function, by the name it is given', () => {
  const body = Array.from({ length: MAX_FUNCTION_LINES }, (_, n) => `  step(${n});`).join('\n');
  const source = `export const longOne = () => {\n${body}\n};\nfunction shortOne() {\n  return 1;\n}\n`;
  assert.equal(longFunctions(source), [{ name: 'longOne', lines: MAX_FUNCTION_LINES + 2 }]);
});

test.run();
