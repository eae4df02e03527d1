import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { homedir } from 'node:os';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { kubetlsPlaces } from '../src/places.cjs';

/** src/places.cts: where kubetls keeps its files. */

test('each place follows its XDG directory, else the usual one under the home', () => {
  const env = { XDG_CONFIG_HOME: '/x/config', XDG_DATA_HOME: '/x/data', XDG_CACHE_HOME: '/x/cache', XDG_STATE_HOME: '/x/state' };
  assert.equal(kubetlsPlaces({ env, home: '/home/a', platform: 'linux' }), {
    config: '/x/config/kubetls-nodejs',
    data: '/x/data/kubetls',
    cache: '/x/cache/kubetls',
    state: '/x/state/kubetls',
  });
  assert.equal(kubetlsPlaces({ env: {}, home: '/home/a', platform: 'linux' }), {
    config: '/home/a/.config/kubetls-nodejs',
    data: '/home/a/.local/share/kubetls',
    cache: '/home/a/.cache/kubetls',
    state: '/home/a/.local/state/kubetls',
  });
});

test('a relative XDG directory is ignored, as the specification says', () => {
  const env = { XDG_CACHE_HOME: 'relative/cache', XDG_DATA_HOME: 'data' };
  const places = kubetlsPlaces({ env, home: '/home/a', platform: 'linux' });
  assert.is(places.cache, '/home/a/.cache/kubetls');
  assert.is(places.data, '/home/a/.local/share/kubetls');
});

test('KUBETLS_CONFIG_DIR moves the progress files, made absolute; nothing else moves with it', () => {
  const places = kubetlsPlaces({ env: { KUBETLS_CONFIG_DIR: 'class/share' }, home: '/home/a', platform: 'linux' });
  assert.is(places.config, join(process.cwd(), 'class', 'share'));
  assert.is(places.data, '/home/a/.local/share/kubetls');
});

test('no home: no code cache (it is only an optimisation), the rest under the temporary directory', () => {
  const places = kubetlsPlaces({ env: {}, home: '', platform: 'linux' });
  assert.is(places.cache, undefined);
  assert.not.ok(places.state.startsWith('kubetls'), 'never a path relative to wherever kubetls was started');
});

test("config is conf's own directory, as env-paths (what conf uses) names it", () => {
  const saved = process.env['XDG_CONFIG_HOME'];
  try {
    for (const value of ['/x/config', undefined]) {
      if (value === undefined) delete process.env['XDG_CONFIG_HOME'];
      else process.env['XDG_CONFIG_HOME'] = value;
      const env = value === undefined ? {} : { XDG_CONFIG_HOME: value };
      assert.is(kubetlsPlaces({ env, home: homedir() }).config, envPaths('kubetls').config, String(value));
    }
    assert.is(kubetlsPlaces({ env: {}, home: '/Users/a', platform: 'darwin' }).config, '/Users/a/Library/Preferences/kubetls-nodejs');
    assert.is(kubetlsPlaces({ env: { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, home: 'C:\\Users\\a', platform: 'win32' }).config, join('C:\\Users\\a\\AppData\\Roaming', 'kubetls-nodejs', 'Config'));
  } finally {
    if (saved === undefined) delete process.env['XDG_CONFIG_HOME'];
    else process.env['XDG_CONFIG_HOME'] = saved;
  }
});

test.run();
