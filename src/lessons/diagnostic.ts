import { isAbsolute, relative } from 'node:path';

/**
 * A problem found in a lesson file. `error`: the lesson could not be loaded (the others still
 * are); `warning`: it loaded, but something in it is wrong (a broken link, an unclosed `:::`).
 */
export interface Diagnostic {
  file: string;
  /** 1-based line in the file; 0 when the problem is the file or directory as a whole. */
  line: number;
  message: string;
  severity: 'error' | 'warning';
}

/** `lessons/en/03-cluster-ca.md:12: message`, with the path shown relative to `baseDir` when inside it. */
export function formatDiagnostic(diagnostic: Diagnostic, baseDir?: string): string {
  let file = diagnostic.file;
  if (baseDir !== undefined) {
    const shorter = relative(baseDir, file);
    if (shorter !== '' && !shorter.startsWith('..') && !isAbsolute(shorter)) file = shorter;
  }
  return diagnostic.line > 0 ? `${file}:${diagnostic.line}: ${diagnostic.message}` : `${file}: ${diagnostic.message}`;
}

/** Orders diagnostics by file, then line, so reports read top to bottom. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}
