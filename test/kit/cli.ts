import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { captureText } from './capture-output.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const OSPREY_BIN = `${ROOT}dist/src/cli/osprey.js`;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the compiled `osprey` CLI as a child process (the test command builds first) and records its
 * output for the suite-wide secret scan.
 */
export function runOsprey(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [OSPREY_BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      captureText(`osprey ${args.join(' ')} (stdout)`, stdout);
      captureText(`osprey ${args.join(' ')} (stderr)`, stderr);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
