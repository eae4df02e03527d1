import { execFile } from 'node:child_process';

/**
 * Copy to the learner's clipboard from a terminal that may be at the far end of SSH: OSC 52 asks the
 * terminal itself (xterm, PuTTY 0.77+, Windows Terminal, iTerm2, kitty...). Inside tmux, which drops
 * OSC 52 from programs unless `set-clipboard on`, the text goes into tmux's buffer with `load-buffer -w`,
 * which tmux passes on to the outer terminal's clipboard; inside GNU screen, through its passthrough.
 */

export type ClipboardRoute = 'tmux' | 'terminal';

export interface ClipboardOptions {
  env: NodeJS.ProcessEnv;
  /** Writes an escape sequence to the terminal. */
  write(sequence: string): void;
}

export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}

export async function copyToClipboard(text: string, options: ClipboardOptions): Promise<ClipboardRoute> {
  if (options.env['TMUX']) {
    const loaded = await new Promise<boolean>((resolve) => {
      const child = execFile('tmux', ['load-buffer', '-w', '-'], { timeout: 2000 }, (error) => resolve(!error));
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(text);
    });
    if (loaded) return 'tmux';
  }
  const sequence = osc52(text);
  options.write(options.env['STY'] ? `\x1bP${sequence}\x1b\\` : sequence);
  return 'terminal';
}
