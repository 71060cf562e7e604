import { main } from '../lambdas/cli/main';
import { redact } from '../lambdas/core/redact';

/** Reads all of standard input as text. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin,
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Only bugs reach here; still exit 3 (unknown) so schedulers never read a crash as OK.
    process.stderr.write(`chronos-monitor: internal error: ${redact((err as Error)?.stack ?? String(err))}\n`);
    process.exitCode = 3;
  },
);
