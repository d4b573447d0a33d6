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

/** Options of {@link createStderrLogger}. */
export interface StderrLoggerOptions {
  /** `text` (default): `[teamstate] warn: message {"field":…}`; `json`: one JSON object per line, for log collectors. */
  format?: 'text' | 'json';
  /** Values never to write (tokens and secrets of the config); each becomes `***`, wherever it appears. */
  secrets?: readonly (string | undefined)[];
  /** The clock of the JSON lines' `time` (default: the real one). */
  now?: () => Date;
}

/** Every string in `value`, and every key, passed through `redactSecrets`. */
function redactDeep(value: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, secrets));
  if (value instanceof Error) return redactSecrets(value.message, secrets);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactSecrets(key, secrets), redactDeep(item, secrets)]));
  return value;
}

/**
 * A logger that writes one line per event to stderr (never stdout, which belongs to the MCP stdio transport), as text
 * or as JSON (`{ "time", "level", "message", …fields }`). Every line passes through the one redactor, `redactSecrets`,
 * with the known secrets.
 * @example const log = createStderrLogger('info'); log.warn('rate limited', { waitMs: 1200 })
 * @example const log = createStderrLogger('info', undefined, { format: 'json', secrets: [process.env.GITHUB_TOKEN] })
 */
export function createStderrLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line),
  options: StderrLoggerOptions = {},
): Logger {
  const min = levels.indexOf(level);
  const secrets = options.secrets ?? [];
  const now = options.now ?? (() => new Date());
  const at =
    (lvl: LogLevel) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (levels.indexOf(lvl) < min) return;
      if (options.format === 'json') {
        // Redacted value by value, so the line stays valid JSON whatever a secret contains.
        const entry = redactDeep({ time: now().toISOString(), level: lvl, message, ...fields }, secrets) as Record<string, unknown>;
        Object.assign(entry, { level: lvl, message: redactSecrets(message, secrets) });
        write(`${JSON.stringify(entry)}\n`);
        return;
      }
      const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
      // The one redactor: a URL's credentials and query string never reach the log, whoever logged it.
      write(redactSecrets(`[teamstate] ${lvl}: ${message}${extra}\n`, secrets));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
