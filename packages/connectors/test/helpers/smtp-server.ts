import { createServer, type Server, type Socket } from 'node:net';

/** One message a test SMTP server received. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as sent (headers and body), lines joined with \n, dot-stuffing and quoted-printable undone. */
  data: string;
  /** The user that signed in with AUTH PLAIN or LOGIN, if any. */
  user: string | undefined;
}

/** A running test SMTP server on 127.0.0.1. */
export interface TestSmtpServer {
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * A small SMTP server (RFC 5321: EHLO/HELO, AUTH PLAIN and LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS offered)
 * that keeps every message it accepts; `credentials` makes it refuse other sign-ins with 535.
 */
export async function startSmtpServer(credentials?: { user: string; password: string }): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = '';
    let mail: ReceivedMail | undefined;
    let user: string | undefined;
    let mode: 'command' | 'data' | 'login-user' | 'login-password' = 'command';
    let loginUser = '';
    const reply = (text: string): void => void socket.write(`${text}\r\n`);
    const signIn = (name: string, password: string): void => {
      if (credentials && (name !== credentials.user || password !== credentials.password)) {
        reply('535 5.7.8 Authentication failed');
        return;
      }
      user = name;
      reply('235 2.7.0 Authentication successful');
    };
    const command = (line: string) => {
      const verb = line.split(' ')[0]!.toUpperCase();
      if (verb === 'EHLO') return reply('250-localhost\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SMTPUTF8');
      if (verb === 'HELO') return reply('250 localhost');
      if (verb === 'AUTH') {
        const [, method, initial] = line.split(' ');
        if (method?.toUpperCase() === 'PLAIN' && initial) {
          const [, name = '', password = ''] = Buffer.from(initial, 'base64').toString('utf8').split('\u0000');
          return signIn(name, password);
        }
        if (method?.toUpperCase() === 'LOGIN') {
          mode = 'login-user';
          return reply('334 VXNlcm5hbWU6');
        }
        return reply('504 5.5.4 Unrecognized authentication type');
      }
      if (verb === 'MAIL') {
        if (credentials && user === undefined) return reply('530 5.7.0 Authentication required');
        mail = { from: /<([^>]*)>/.exec(line)?.[1] ?? '', to: [], data: '', user };
        return reply('250 2.1.0 OK');
      }
      if (verb === 'RCPT') {
        if (!mail) return reply('503 5.5.1 MAIL first');
        mail.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
        return reply('250 2.1.5 OK');
      }
      if (verb === 'DATA') {
        if (!mail || mail.to.length === 0) return reply('503 5.5.1 RCPT first');
        mode = 'data';
        return reply('354 End data with <CR><LF>.<CR><LF>');
      }
      if (verb === 'RSET') {
        mail = undefined;
        return reply('250 2.0.0 OK');
      }
      if (verb === 'NOOP') return reply('250 2.0.0 OK');
      if (verb === 'QUIT') {
        reply('221 2.0.0 Bye');
        return void socket.end();
      }
      return reply('502 5.5.2 Command not recognized');
    };
    const data: string[] = [];
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (mode === 'data') {
          if (line !== '.') {
            data.push(line.startsWith('.') ? line.slice(1) : line);
            continue;
          }
          received.push({ ...mail!, data: decoded(data.join('\n')) });
          data.length = 0;
          mail = undefined;
          mode = 'command';
          reply(`250 2.0.0 Ok: queued as m${received.length}`);
        } else if (mode === 'login-user') {
          loginUser = Buffer.from(line, 'base64').toString('utf8');
          mode = 'login-password';
          reply('334 UGFzc3dvcmQ6');
        } else if (mode === 'login-password') {
          mode = 'command';
          signIn(loginUser, Buffer.from(line, 'base64').toString('utf8'));
        } else command(line);
      }
    });
    reply('220 localhost ESMTP test');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the test SMTP server has no port');
  return {
    port: address.port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The message with a quoted-printable body decoded (soft line breaks joined, `=XX` bytes as UTF-8). */
function decoded(message: string): string {
  const split = message.indexOf('\n\n');
  const headers = split < 0 ? message : message.slice(0, split);
  if (split < 0 || !/^Content-Transfer-Encoding: quoted-printable$/im.test(headers)) return message;
  const body = message.slice(split + 2).replace(/=\n/g, '');
  const bytes = Buffer.from(
    body.replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
    'latin1',
  );
  return `${headers}\n\n${bytes.toString('utf8')}`;
}

/** The decoded body of one MIME part (quoted-printable, base64, or as it is). */
function bodyOf(headers: string, body: string): string {
  const encoding = /^Content-Transfer-Encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding !== 'quoted-printable') return body;
  const bytes = body.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** A header's value with its encoded words (RFC 2047, `=?UTF-8?Q?…?=` and `=?UTF-8?B?…?=`) decoded and folds joined. */
function headerValue(headers: string, name: string): string | undefined {
  const folded = new RegExp(`^${name}: (.*(?:\n[ \t].*)*)`, 'im').exec(headers)?.[1];
  if (folded === undefined) return undefined;
  return folded
    .replace(/\?=\n[ \t]+=\?/g, '?==?')
    .replace(/\n[ \t]+/g, ' ')
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, kind: string, word: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(word, 'base64').toString('utf8')
        : Buffer.from(
            word.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

/**
 * The subject and the plain-text and HTML parts of a received message (a multipart/alternative one, or a single text
 * part), decoded.
 */
export function mimeParts(mail: ReceivedMail): { headers: string; subject?: string; text?: string; html?: string } {
  const raw = mail.data;
  const split = raw.indexOf('\n\n');
  const headers = raw.slice(0, split);
  const boundary = /boundary="?([^";\n]+)"?/i.exec(headers)?.[1];
  const out: { headers: string; subject?: string; text?: string; html?: string } = { headers, subject: headerValue(headers, 'Subject') };
  const parts = boundary
    ? raw
        .slice(split + 2)
        .split(`--${boundary}`)
        .slice(1, -1)
    : [raw];
  for (const part of parts) {
    const body = part.replace(/^\n/, '');
    const end = body.indexOf('\n\n');
    const partHeaders = body.slice(0, end);
    const content = bodyOf(partHeaders, body.slice(end + 2).replace(/\n$/, ''));
    if (/^Content-Type:\s*text\/html/im.test(partHeaders)) out.html = content;
    else if (/^Content-Type:\s*text\/plain/im.test(partHeaders)) out.text = content;
  }
  return out;
}
