import os = require('node:os');
import path = require('node:path');

/**
 * Where kubetls keeps its files, the one place that knows:
 *
 *   config  progress (one `config.json` per profile)  KUBETLS_CONFIG_DIR, else conf's own directory
 *   data    each profile's default sandbox             $XDG_DATA_HOME/kubetls, else ~/.local/share/kubetls
 *   cache   V8's code cache of the start-up bundle     $XDG_CACHE_HOME/kubetls, else ~/.cache/kubetls
 *   state   crash logs                                 $XDG_STATE_HOME/kubetls, else ~/.local/state/kubetls
 *
 * CommonJS, so the launcher (src/startup/launch.cts) finds the code cache before any ES module loads.
 * That is also why env-paths (what conf uses) is not imported: it is ES-module-only, which Node 20
 * cannot require(). `config` follows env-paths' rules for conf's name (`kubetls-nodejs`), and
 * test/startup.test.ts holds the two to the same directory. The XDG base directory specification
 * says a relative XDG_* path is invalid: it is ignored, as if unset.
 */

export interface Places {
  config: string;
  data: string;
  /** Undefined when there is no home directory to put it under (the cache is only an optimisation). */
  cache: string | undefined;
  state: string;
}

const NAME = 'kubetls';
/** conf names its directory after the project plus `-nodejs`, so the file sits where conf users expect. */
const CONF_NAME = 'kubetls-nodejs';

export interface PlacesOptions {
  env?: NodeJS.ProcessEnv;
  /** The user's home; default os.homedir() ($HOME, else the password database). */
  home?: string;
  platform?: NodeJS.Platform;
}

export function kubetlsPlaces(options: PlacesOptions = {}): Places {
  const env = options.env ?? process.env;
  const home = options.home ?? homeDirectory();
  const xdg = (name: string, fallback: string[]) => {
    const value = env[name];
    if (value && path.isAbsolute(value)) return value;
    return home ? path.join(home, ...fallback) : undefined;
  };
  const under = (base: string | undefined) => path.join(base ?? os.tmpdir(), NAME);
  const cacheHome = xdg('XDG_CACHE_HOME', ['.cache']);
  return {
    config: configPlace(env, home, options.platform ?? process.platform, xdg('XDG_CONFIG_HOME', ['.config'])),
    data: under(xdg('XDG_DATA_HOME', ['.local', 'share'])),
    cache: cacheHome ? path.join(cacheHome, NAME) : undefined,
    state: under(xdg('XDG_STATE_HOME', ['.local', 'state'])),
  };
}

function configPlace(env: NodeJS.ProcessEnv, home: string, platform: NodeJS.Platform, xdgConfigHome: string | undefined): string {
  const chosen = env['KUBETLS_CONFIG_DIR'];
  if (chosen) return path.resolve(chosen);
  // env-paths' rules per platform (sindresorhus/env-paths index.js), for conf's directory name
  if (platform === 'darwin') return path.join(home, 'Library', 'Preferences', CONF_NAME);
  if (platform === 'win32') return path.join(env['APPDATA'] || path.join(home, 'AppData', 'Roaming'), CONF_NAME, 'Config');
  return path.join(xdgConfigHome ?? path.join(os.tmpdir(), NAME), CONF_NAME);
}

function homeDirectory(): string {
  try {
    return os.homedir();
  } catch {
    // no HOME and no password database entry: places fall back to the temporary directory
    return '';
  }
}
