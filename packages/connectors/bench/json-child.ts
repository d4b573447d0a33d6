// Runs a bench's child process asynchronously (so the parent's mock servers keep answering it) and parses the JSON it
// prints; a child exits non-zero with its reason on stderr.
import { spawn } from 'node:child_process';

/**
 * Runs `script` with `args` in a new Node process and resolves the JSON it printed. `typeStripping` runs it with
 * Node's own type stripping instead of tsx, whose loader thread (a second V8 heap) would count in its peak RSS.
 */
export function runJsonChild<T>(script: string, args: readonly string[], typeStripping = false): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...(typeStripping ? [] : ['--import', 'tsx']), script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    proc.on('error', reject);
    proc.on('close', (status) =>
      status === 0 ? resolve(JSON.parse(stdout) as T) : reject(new Error(`${script} failed (exit ${status}): ${stderr}`)),
    );
  });
}
