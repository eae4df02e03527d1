import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
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

test.run();
