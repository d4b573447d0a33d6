import { TeamStateError } from '@teamstate/core';
import { createTransport } from 'nodemailer';
import type { ResolvedEmailOptions } from './options.js';

/** One message to one recipient: a plain-text part, and an HTML part when given. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** The HTML alternative of `text` (built with every character of people's text escaped). */
  html?: string;
  /** `<id@host>`: a stable Message-ID (from an approval's idempotency key). */
  messageId?: string;
  /** The Date header: the injected clock's now (nodemailer would read the system clock). */
  date?: Date;
}

/** Sends through the configured SMTP server. */
export interface Mailer {
  /** Sends one message; resolves with the server's message id. */
  send(message: EmailMessage): Promise<string>;
  /** Connects, greets and signs in (when configured), then hangs up; rejects naming the server when it cannot. */
  verify(): Promise<void>;
  close(): void;
}

/** `smtp://host:port`, as errors name the server (never with the password). */
export function smtpAddress(options: ResolvedEmailOptions): string {
  return `${options.smtp.secure ? 'smtps' : 'smtp'}://${options.smtp.host}:${options.smtp.port}`;
}

/** The failure of an exchange with the server, naming it and why, without the credentials. */
function failure(options: ResolvedEmailOptions, doing: string, error: unknown): TeamStateError {
  const { code, message = String(error) } = error as { code?: string; message?: string };
  // nodemailer wraps a socket's error (ESOCKET, "connect ECONNREFUSED 10.0.0.1:587"): the system's code says why.
  const system = /\b(E[A-Z]{3,})\b/.exec(message)?.[1];
  const reason =
    code === 'ETIMEDOUT'
      ? `no answer within ${options.timeoutMs / 1000} s`
      : code === 'EAUTH'
        ? 'the sign-in was refused (check smtp.user and smtp.password)'
        : code === 'ESOCKET' || code === 'ECONNECTION' || code === 'EDNS'
          ? (system ?? code)
          : (code ?? 'the server refused');
  return new TeamStateError('upstream_error', `email: cannot ${doing} the SMTP server ${smtpAddress(options)}: ${reason}`, {
    cause: error,
  });
}

/** A nodemailer SMTP transport (STARTTLS when offered; TLS from the start with `secure`), every wait bounded. */
export function createMailer(options: ResolvedEmailOptions): Mailer {
  const { smtp, timeoutMs } = options;
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user !== undefined ? { auth: { user: smtp.user, pass: smtp.password } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    // Nothing from the exchange in teamstate's output: it may carry addresses and credentials.
    logger: false,
    debug: false,
  });
  return {
    async send(message) {
      try {
        const sent = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html !== undefined ? { html: message.html } : {}),
          ...(message.messageId !== undefined ? { messageId: message.messageId } : {}),
          ...(message.date !== undefined ? { date: message.date } : {}),
        });
        return sent.messageId;
      } catch (error) {
        throw failure(options, 'send through', error);
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (error) {
        throw failure(options, 'reach', error);
      }
    },
    close: () => transport.close(),
  };
}
