import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the package's own files (lessons/, package.json) are, found from this file so it works from
 * a clone, `dist/` and an installed tarball. This file is dist/src/package-root.js and the start-up
 * bundle is dist/app/kubetls.cjs: both sit two levels below the root, so one relative step serves both.
 */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}
