import { spawnSync } from 'node:child_process';

/** Wall-clock timing of whole commands, as hyperfine would, with the median of several runs. */

export interface Timing {
  label: string;
  runs: number[];
  median: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface TimedCommand {
  label: string;
  command: string;
  args: string[];
}

/**
 * Runs each command `runs` times, interleaved (a, b, c, a, b, c...), so a slow moment of the machine
 * hits them all rather than all the runs of one; `prepare` runs before each.
 */
export function timeCommands(commands: TimedCommand[], runs: number, prepare: () => void = () => {}): Timing[] {
  const samples = commands.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    for (const [index, { label, command, args }] of commands.entries()) {
      prepare();
      const started = process.hrtime.bigint();
      const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      if (result.status !== 0) throw new Error(`${label} failed: ${result.stderr}`);
      samples[index]!.push(elapsed);
    }
  }
  return commands.map(({ label }, index) => ({ label, runs: samples[index]!, median: median(samples[index]!) }));
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}
