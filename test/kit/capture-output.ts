import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs in every test worker: tees everything the worker writes to stdout and stderr (pino lines,
 * error text) into the suite's capture folder, which scripts/test.mjs greps for the test secrets after
 * the run. Child processes the tests spawn are captured by test/kit/cli.ts.
 */
const dir = process.env.OSPREY_TEST_CAPTURE_DIR;
if (dir !== undefined) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `worker-${process.pid}.log`);
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      try {
        appendFileSync(file, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array));
      } catch {
        // Capture is best effort; the test's own output must never fail because of it.
      }
      return original(chunk, ...rest);
    }) as typeof stream.write;
  }
}

/** Appends text produced elsewhere (a child's output, an error message) to the capture. */
export function captureText(label: string, text: string): void {
  if (dir === undefined || text.length === 0) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `worker-${process.pid}.log`), `--- ${label}\n${text}\n`);
}
