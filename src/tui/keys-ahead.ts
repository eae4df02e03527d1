import type { Widgets } from 'blessed';
import type { KeyPool } from '../pki/certificates/key-pool.js';
import type { KeyType } from '../pki/certificates/keys.js';

/**
 * The sandbox's keys made ahead while the learner reads (src/pki/certificates/key-pool.ts), so generating,
 * renewing and fixing in the app take ready keys. It starts after the learner's first key press, in
 * a pause between keys (an app left at the home screen, most of a classroom, makes no keys), and
 * stops with the screen.
 */
export function keysAheadOnceLearning(screen: Widgets.Screen, sandboxDir: string, pauseMs = 1000): void {
  let timer: NodeJS.Timeout | undefined;
  let starting = false;
  let ended = false;
  let pool: KeyPool | undefined;

  const start = async () => {
    starting = true;
    const [{ startKeyPool }, { readStateIfAny }, { isKeyType }] = await Promise.all([
      import('../pki/certificates/key-pool.js'),
      import('../pki/sandbox/state.js'),
      import('../pki/certificates/keys.js'),
    ]);
    if (ended) return;
    // kubeadm's default, and the first choice when the learner generates a sandbox
    const fallback: KeyType = 'rsa-2048';
    const sandboxKeyType = (): KeyType => {
      try {
        const keyType = readStateIfAny(sandboxDir)?.cluster.keyType;
        return keyType && isKeyType(keyType) ? keyType : fallback;
      } catch {
        return fallback; // a damaged record: the sandbox screen says so
      }
    };
    pool = startKeyPool({ keyType: sandboxKeyType });
  };

  const onKey = () => {
    if (starting) return;
    if (timer) timer.refresh();
    else timer = setTimeout(() => void start().catch(() => undefined), pauseMs).unref(); // without a pool, keys are made when needed
  };
  screen.on('keypress', onKey);
  screen.on('destroy', () => {
    ended = true;
    clearTimeout(timer);
    screen.removeListener('keypress', onKey);
    pool?.stop();
  });
}
