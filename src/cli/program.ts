import { readFileSync } from 'node:fs';
import { Command } from 'commander';

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/**
 * The whole command tree. Each command's work lives in its own module under ./commands and is
 * imported only when that command runs, so `kubetls --help` and start-up stay cheap.
 */
export function buildProgram(): Command {
  const program = new Command('kubetls')
    .description('Learn how TLS works inside a Kubernetes cluster: lessons, a real PKI sandbox, and CKA-style quizzes.')
    .version(packageVersion(), '-V, --version')
    .option('--lessons-dir <dir>', 'also load lesson files from this directory')
    .option('--profile <name>', 'keep progress in a separate profile (or set KUBETLS_PROFILE)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'kubetls: ')) });
  program.action(() => {
    program.outputHelp();
  });
  return program;
}
