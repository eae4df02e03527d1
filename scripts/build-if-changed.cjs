#!/usr/bin/env node
'use strict';
/**
 * `npm start` and `npm test` build only when something the build reads changed since the last build
 * (npm ci builds once, in `prepare`): a start that rebuilt everything took 5-15 s to the home screen.
 * The last build is dist/app/kubetls.cjs, which the build writes last; a TypeScript file under src,
 * test or bench, a catalogue in locales/, tsconfig.json or a package file newer than it, or none built,
 * means building again.
 */
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = join(__dirname, '..');
const INPUTS = ['src', 'test', 'bench', 'locales', 'tsconfig.json', 'package.json', 'package-lock.json'];
// TypeScript, and the catalogues the build compiles (locales/<code>/*.yaml)
const COMPILED = /\.([cm]?ts|yaml)$/;

/** The newest change to a file the compiler reads under `path` (bench/results is written by runs). */
function newestChange(path, top = true) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return top || COMPILED.test(path) ? stat.mtimeMs : 0;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name === 'results') continue;
    newest = Math.max(newest, newestChange(join(path, entry.name), false));
  }
  return newest;
}

function isStale(root = ROOT) {
  let built;
  try {
    built = statSync(join(root, 'dist', 'app', 'kubetls.cjs')).mtimeMs;
  } catch {
    return true;
  }
  return INPUTS.some((input) => newestChange(join(root, input)) > built);
}

/** Builds when stale; returns false when the build failed. */
function buildIfChanged() {
  if (!isStale()) return true;
  const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
  const result = spawnSync(npm[0], [...npm[1], 'run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  return result.status === 0;
}

module.exports = { buildIfChanged, isStale };

if (require.main === module && !buildIfChanged()) process.exitCode = 1;
