import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { packagePath } from '../package-root.js';
import { catalogueProblems, compiledCatalogueDir, type Strings } from '../locale/catalogue.js';

/**
 * `npm run build`: locales/<code>/<part>.yaml -> dist/locales/<code>.json, flattened to dotted keys
 * (`<part>.<key>`). The build fails on a catalogue that does not parse, holds something other than
 * strings, or disagrees with the English one on keys or placeholders, naming the file, key and line.
 */

export function compileCatalogues(sourceDir = packagePath('locales')): Record<string, Strings> {
  const catalogues: Record<string, Strings> = {};
  for (const code of readdirSync(sourceDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    const strings: Record<string, string> = {};
    for (const file of readdirSync(join(sourceDir, code)).filter((f) => f.endsWith('.yaml')).sort()) {
      Object.assign(strings, compileCatalogue(readFileSync(join(sourceDir, code, file), 'utf8'), `${code}/${file}`, file.slice(0, -5)));
    }
    catalogues[code] = strings;
  }
  const problems = catalogueProblems(catalogues);
  if (problems.length > 0) throw new Error(`locales: ${problems.join('; ')}`);
  return catalogues;
}

/** One file of a catalogue; `part` (the file's name) prefixes its keys. */
export function compileCatalogue(text: string, file: string, part = ''): Strings {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const where = (node: Node | null | undefined) => `${file}:${node?.range ? lines.linePos(node.range[0]).line : 1}`;
  if (document.errors.length > 0) throw new Error(`${file}:${document.errors[0]!.linePos?.[0].line ?? 1}: ${document.errors[0]!.message.split('\n')[0]}`);
  const strings: Record<string, string> = {};
  const walk = (node: Node | null | undefined, prefix: string) => {
    if (!isMap(node)) throw new Error(`${where(node)}: ${prefix || 'the catalogue'} must be a map of keys`);
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!/^[a-z0-9][a-z0-9-]*$/i.test(key)) throw new Error(`${where(pair.key as Node)}: "${key}" is not a key (letters, digits, -)`);
      const path = prefix ? `${prefix}.${key}` : key;
      if (isScalar(pair.value) && typeof pair.value.value === 'string') strings[path] = pair.value.value;
      else if (isMap(pair.value)) walk(pair.value, path);
      else throw new Error(`${where(pair.value as Node)}: ${path} must be a string or a map`);
    }
  };
  walk(document.contents as Node, part);
  return strings;
}

export function writeCompiledCatalogues(): void {
  const catalogues = compileCatalogues();
  mkdirSync(compiledCatalogueDir(), { recursive: true });
  for (const [code, strings] of Object.entries(catalogues)) writeFileSync(join(compiledCatalogueDir(), `${code}.json`), `${JSON.stringify(strings)}\n`);
}

if (process.argv[1] && join(process.argv[1]) === join(packagePath('dist', 'src', 'build', 'locales.js'))) {
  try {
    writeCompiledCatalogues();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
