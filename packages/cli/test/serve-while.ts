import { type ChildProcess, spawn } from 'node:child_process';
import { BIN } from './run-cli.js';

/**
 * Runs `teamstate serve --port 0 <args>` as a child process until `fn` is done (then SIGTERM), giving `fn` the URL it
 * listens on and its stderr so far; returns what `fn` returned and the whole stderr.
 */
export async function serveWhile<T>(
  options: { cwd: string; env: NodeJS.ProcessEnv; args?: string[] },
  fn: (base: string, stderr: () => string) => Promise<T>,
): Promise<{ result: T; stderr: string }> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...(options.args ?? [])], {
    cwd: options.cwd,
    env: options.env,
  });
  let stderr = '';
  try {
    const base = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (chunk) => {
        stderr += chunk;
        const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
    });
    return { result: await fn(base, () => stderr), stderr };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}
