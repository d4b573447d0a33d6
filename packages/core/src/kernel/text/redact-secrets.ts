// A URL in free text: scheme, then everything up to white space or a quote.
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;

/**
 * Removes secrets from a message before it leaves the process (an error, a log line): credentials and query
 * strings of every URL in it (`libsql://alice:pw@host?authToken=…` → `libsql://***@host`), and every known
 * secret value (tokens from the config or the environment) wherever it appears. The one redactor for
 * messages; values shorter than 6 characters are not treated as secrets (they would mask ordinary words).
 *
 * @example redactSecrets('GET https://u:pw@api.example/x?token=abc failed', ['abc123secret'])
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = String(text).replace(URL_IN_TEXT, (url) => url.replace(/\/\/[^@/\s]*@/, '//***@').replace(/\?.*$/, ''));
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6).sort((a, b) => b.length - a.length);
  for (const secret of known) out = out.split(secret).join('***');
  return out;
}
