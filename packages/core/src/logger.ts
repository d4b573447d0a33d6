import { redactSecrets } from './text/redact-secrets.js';

/** Structured logging used by the library; the default logs nothing. Never pass secrets as fields. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const levels = ['debug', 'info', 'warn', 'error'] as const;
/** Log levels, least severe first. */
export type LogLevel = (typeof levels)[number];

/**
 * A logger that writes one line per event to stderr (never stdout, which belongs to the MCP stdio transport).
 * @example const log = createStderrLogger('info'); log.warn('rate limited', { waitMs: 1200 })
 */
export function createStderrLogger(level: LogLevel = 'info', write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const min = levels.indexOf(level);
  const at =
    (lvl: LogLevel) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (levels.indexOf(lvl) < min) return;
      const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
      // The one redactor: a URL's credentials and query string never reach the log, whoever logged it.
      write(redactSecrets(`[teamstate] ${lvl}: ${message}${extra}\n`));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
