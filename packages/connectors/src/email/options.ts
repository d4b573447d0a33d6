import { TeamStateError } from '@teamstate/core';
import { z } from 'zod';

/** The SMTP server the email connector sends through. */
export interface SmtpOptions {
  host: string;
  /** 587 (STARTTLS when the server offers it), 465 (TLS from the start: `secure: true`) or 25. */
  port: number;
  /** TLS from the first byte (port 465); default false: STARTTLS when the server offers it. */
  secure?: boolean;
  /** With `password`: the account to sign in with (AUTH PLAIN or LOGIN). */
  user?: string;
  password?: string;
}

/** `connectors.email` of teamstate.config.yaml, and the options of `email()`. */
export interface EmailOptions {
  smtp: SmtpOptions;
  /** The sender, `teamstate@acme.example` or `teamstate <teamstate@acme.example>`. */
  from: string;
  /** `server.publicUrl`: an approval email links to `<publicUrl>/approvals/<id>`. */
  publicUrl: string;
  id?: string;
  /** How long connecting and each exchange with the server may take, default 15 s. */
  timeoutMs?: number;
}

export const emailConfigSchema = z.strictObject({
  smtp: z.strictObject({
    host: z.string().min(1, { error: 'expected the SMTP server’s host name, e.g. smtp.acme.example' }),
    port: z
      .number({ error: 'expected a port number, e.g. 587' })
      .int({ error: 'expected a whole port number, e.g. 587' })
      .min(1)
      .max(65535),
    secure: z.boolean().optional(),
    user: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
  }),
  from: z.string().min(1, { error: 'expected the sender address, e.g. teamstate@acme.example' }),
});

export interface ResolvedEmailOptions {
  id: string;
  smtp: Required<Pick<SmtpOptions, 'host' | 'port' | 'secure'>> & Pick<SmtpOptions, 'user' | 'password'>;
  from: string;
  publicUrl: string;
  timeoutMs: number;
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** True for `a@b.example` or `Name <a@b.example>`. */
export function isSender(from: string): boolean {
  const named = /^[^<>]*<([^<>]+)>$/.exec(from.trim());
  return ADDRESS.test(named ? named[1]! : from.trim());
}

function invalid(message: string): never {
  throw new TeamStateError('invalid_config', message);
}

/** Checks the options, each error naming its field (`email.smtp.port: …`). */
export function resolveEmailOptions(options: EmailOptions): ResolvedEmailOptions {
  const smtp = options?.smtp;
  if (typeof smtp !== 'object' || smtp === null) invalid('email.smtp: expected { host, port, secure?, user?, password? }');
  if (typeof smtp.host !== 'string' || smtp.host.trim() === '' || /[\s/]/.test(smtp.host.trim()))
    invalid(`email.smtp.host: expected the SMTP server’s host name, e.g. smtp.acme.example (got ${JSON.stringify(smtp.host)})`);
  if (!Number.isInteger(smtp.port) || smtp.port < 1 || smtp.port > 65535)
    invalid(`email.smtp.port: expected a port number from 1 to 65535, e.g. 587 (got ${JSON.stringify(smtp.port)})`);
  if ((smtp.user === undefined) !== (smtp.password === undefined))
    invalid('email.smtp.password: set both smtp.user and smtp.password to sign in, or neither');
  if (typeof options.from !== 'string' || !isSender(options.from))
    invalid(`email.from: expected the sender address, e.g. teamstate@acme.example (got ${JSON.stringify(options.from)})`);
  if (typeof options.publicUrl !== 'string' || !/^https?:\/\/[^/\s]+\/?$/i.test(options.publicUrl))
    invalid('email: approval emails link to <server.publicUrl>/approvals/<id>: set server.publicUrl, e.g. https://teamstate.acme.example');
  return {
    id: options.id ?? 'email',
    smtp: {
      host: smtp.host.trim(),
      port: smtp.port,
      secure: smtp.secure ?? false,
      ...(smtp.user !== undefined ? { user: smtp.user, password: smtp.password } : {}),
    },
    from: options.from.trim(),
    publicUrl: options.publicUrl.replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? 15_000,
  };
}
