import { spawn } from 'node:child_process';
import { BIN } from './run-cli.js';

/**
 * Runs the built CLI in a real pseudo-terminal (util-linux `script`), answering each prompt when its
 * text appears, like a person would. Resolves with everything the terminal showed.
 */
export function runInTerminal(
  args: string[],
  cwd: string,
  dialogue: [RegExp, string][],
  env: Record<string, string> = {},
): Promise<{ code: number | null; screen: string }> {
  const command = `stty rows 40 cols 120; ${[process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd,
    env: { ...process.env, TERM: 'xterm-256color', COLUMNS: '100', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let step = 0;
  // Each prompt is looked for only in what the terminal showed after the previous answer.
  let since = 0;
  const onData = (chunk: Buffer) => {
    screen += chunk.toString();
    const next = dialogue[step];
    if (next?.[0].test(screen.slice(since))) {
      step++;
      since = screen.length;
      setTimeout(() => child.stdin.write(next[1]), 150);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    }),
  );
}

const ESCAPES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');
/** The terminal output without colour and cursor escape sequences. */
export const plain = (screen: string) => screen.replace(ESCAPES, '');
