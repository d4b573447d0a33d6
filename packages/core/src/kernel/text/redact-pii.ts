// Detectors of personal data and credentials in free text, for the policy's `limits.pii_redaction`. Each is narrow on
// purpose: a redactor that eats ISO dates, versions, PR numbers or ids like PAY-131 would ruin every digest, so a
// number is a card only when Luhn-valid, an IBAN only when its mod-97 checksum holds, a phone number only in the
// shapes people write them, and a token only with a known prefix or the look of random characters.

/** How much free text is masked when it leaves teamstate for a reader (`limits.pii_redaction`). */
export const PII_REDACTION_LEVELS = ['off', 'standard', 'strict'] as const;
/** One of {@link PII_REDACTION_LEVELS}: `standard` (the default) masks credentials in links; `strict` also personal data. */
export type PiiRedaction = (typeof PII_REDACTION_LEVELS)[number];

const EMAIL =
  /(?<![\w.%+-])[A-Za-z0-9][\w.%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\b/g;

// Credentials with a known shape: GitHub, GitLab, Slack, OpenAI/Anthropic-style `sk-`, Stripe, AWS access keys, Google
// API keys, npm, Linear, and JSON Web Tokens.
const KNOWN_TOKENS = new RegExp(
  [
    String.raw`\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}`,
    String.raw`\bgithub_pat_[A-Za-z0-9_]{20,}`,
    String.raw`\bglpat-[A-Za-z0-9_-]{20,}`,
    String.raw`\bxox[abposr]-[A-Za-z0-9-]{10,}`,
    String.raw`\bxapp-[A-Za-z0-9-]{10,}`,
    String.raw`\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}`,
    String.raw`\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}`,
    String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`,
    String.raw`\bAIza[0-9A-Za-z_-]{35}`,
    String.raw`\bnpm_[A-Za-z0-9]{36}\b`,
    String.raw`\blin_api_[A-Za-z0-9]{20,}`,
    String.raw`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`,
  ].join('|'),
  'g',
);
// A credential written out after its name (`password: hunter2!x`, `api_key=…`): the value, when it has a digit or a symbol.
const NAMED_SECRET = /\b((?:api[_-]?key|access[_-]?token|auth[_-]?token|secret|password|passwd|pwd)\s*[:=]\s*)([^\s,;'"]{8,})/gi;
// A long run of base64url characters; it is a token only when it looks random (see looksRandom).
const TOKEN_CANDIDATE = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g;

// Two capital letters, two check digits, then 11 to 30 letters or digits, possibly in groups of four.
const IBAN_CANDIDATE = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g;

// 13 to 19 digits, possibly grouped by single spaces or dashes, not part of a longer number or word.
const CARD_CANDIDATE = /(?<![\w.,/-])\d(?:[ -]?\d){12,18}(?![\w/]|[.,-]\d)/g;

// Phone numbers: international (`+` and 9 to 15 digits, in groups), North American `(415) 555-0123` / `415-555-0123`,
// and national numbers starting with a trunk 0 (`020 7946 0958`, `01 23 45 67 89`). A bare run of digits is not one.
const PHONE = new RegExp(
  [
    String.raw`(?<![\w+])\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){1,5}`,
    String.raw`(?<![\w.-])(?<!\d[ .-])00[1-9]\d{0,2}[ .-](?:\(0\)[ .-]?)?[1-9]\d{0,4}(?:[ .-]\d{1,5}){1,4}`,
    String.raw`(?<![\w.(-])\(\d{3}\) ?\d{3}[ .-]\d{4}`,
    String.raw`(?<![\w.-])\d{3}([.-])\d{3}\1\d{4}`,
    String.raw`(?<![\w.-])\d{3} \d{3} \d{4}`,
    String.raw`(?<![\w.-])(?<!\d[ .-])0\d{1,4}[ -]\d{3,8}(?:[ -]\d{3,4})?`,
    String.raw`(?<![\w.-])0\d(?:[ .]\d{2}){4}`,
  ]
    .map((shape) => `(?:${shape})(?![\\w]|[.-]\\d)`)
    .join('|'),
  'g',
);

const digitsOf = (text: string) => text.replace(/\D/g, '');

/** True when `digits` pass the Luhn check (payment card numbers). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** True when `iban` (spaces allowed) has the length and the ISO 13616 mod-97 checksum of an IBAN. */
export function ibanValid(iban: string): boolean {
  const compact = iban.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  // Real account numbers are mostly digits; a run of capitalised words is not one.
  if (digitsOf(compact.slice(4)).length < 8) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

function looksCardLike(candidate: string): boolean {
  const digits = digitsOf(candidate);
  if (digits.length < 13 || digits.length > 19 || !'23456'.includes(digits[0]!)) return false;
  const separators = new Set(candidate.replace(/\d/g, ''));
  return separators.size <= 1 && luhnValid(digits);
}

/**
 * True for a run that looks random: letters of both cases and digits, switching between them often. Words run
 * together (`featureFlagRolloutPayments2026`) switch rarely; hex digests (commit SHAs) have no capitals.
 */
function looksRandom(run: string): boolean {
  const classOf = (c: string) => (/[a-z]/.test(c) ? 'l' : /[A-Z]/.test(c) ? 'u' : /\d/.test(c) ? 'd' : 's');
  const classes = [...run].map(classOf);
  if (!classes.includes('l') || !classes.includes('u') || !classes.includes('d')) return false;
  let switches = 0;
  for (let i = 1; i < classes.length; i++) if (classes[i] !== classes[i - 1]) switches++;
  return switches >= run.length * 0.3;
}

function phoneLike(match: string): boolean {
  const digits = digitsOf(match).length;
  if (match.startsWith('+')) return digits >= 9 && digits <= 15;
  // `00` is the international prefix written out: `0044 20 7946 0958`.
  if (/^00[1-9]\d{0,2}[ .-](?:\(0\)[ .-]?)?[1-9]/.test(match)) return digits >= 11 && digits <= 17;
  return digits >= 10 && digits <= 11;
}

// The start of a value cut short by an ellipsis (a search snippet, a clipped excerpt): too short for its checksum or
// its whole shape, but already personal. Cut after the part that identifies its kind, it is masked as that kind.
const CUT_EMAIL = /(?<![\w.%+-])[A-Za-z0-9][\w.%+-]*@[\w.-]*(?=…)/g;
const CUT_TOKEN =
  /\b(?:gh[pousr]_|github_pat_|glpat-|xox[abposr]-|xapp-|sk-|[spr]k_(?:live|test)_|AKIA|ASIA|AIza|npm_|lin_api_|eyJ)[\w.-]*(?=…)/g;
const CUT_IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4})+(?=…)/g;
const CUT_NUMBER = /(?<![\w.,/-])(\+|\()?\d[\d ().-]*(?=…)/g;
const CUT_RUN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{12,}(?=…)/g;

function redactCut(text: string): string {
  if (!text.includes('…')) return text;
  return text
    .replace(CUT_EMAIL, '[email]')
    .replace(CUT_TOKEN, '[token]')
    .replace(CUT_IBAN, (cut) => (digitsOf(cut).length >= 4 ? '[iban]' : cut))
    .replace(CUT_NUMBER, (cut, international) =>
      digitsOf(cut).length >= 6 && !/^\d{4}-\d\d/.test(cut) ? (international ? '[phone]' : '[card]') : cut,
    )
    .replace(CUT_RUN, (run) => (looksRandom(run) ? '[token]' : run));
}

function redactWhole(text: string): string {
  return redactCut(
    text
      .replace(EMAIL, '[email]')
      .replace(KNOWN_TOKENS, '[token]')
      .replace(NAMED_SECRET, (whole, name: string, value: string) => (/[\d\W_]/.test(value) ? `${name}[token]` : whole))
      .replace(TOKEN_CANDIDATE, (run) => (looksRandom(run) ? '[token]' : run))
      .replace(IBAN_CANDIDATE, (candidate) => (ibanValid(candidate) ? '[iban]' : candidate))
      .replace(CARD_CANDIDATE, (candidate) => (looksCardLike(candidate) ? '[card]' : candidate))
      .replace(PHONE, (candidate) => (phoneLike(candidate) ? '[phone]' : candidate)),
  );
}

const PLACEHOLDER = /\[(?:email|phone|card|iban|token)\]/g;
const placeholders = (text: string) => text.match(PLACEHOLDER)?.length ?? 0;

/**
 * A search snippet marks the words found (`jo.doe@**example**.com`), which can split a value its detector would see:
 * when the text without the marks hides more, that is what is shown, with the found words marked again.
 */
function redactMarked(text: string, redacted: string): string {
  const terms = [...text.matchAll(/\*\*(.+?)\*\*/g)].map((match) => match[1]!);
  const unmarked = redactWhole(text.replaceAll('**', ''));
  if (placeholders(unmarked) <= placeholders(redacted)) return redacted;
  let out = '';
  let rest = unmarked;
  for (const term of terms) {
    const at = rest.indexOf(term);
    if (at < 0) continue;
    out += `${rest.slice(0, at)}**${term}**`;
    rest = rest.slice(at + term.length);
  }
  return out + rest;
}

/**
 * Masks personal data and credentials in free text: email addresses as `[email]`, tokens (known credential shapes,
 * JSON Web Tokens, long random runs) as `[token]`, checksum-valid IBANs as `[iban]`, Luhn-valid card numbers as
 * `[card]`, phone numbers as `[phone]`, and the start of any of them cut short by `…` (a snippet). Dates, times,
 * versions, PR numbers, keys like `PAY-131` and commit SHAs stay.
 *
 * @example redactPii('Mail ana@acme.example or call +44 20 7946 0958') // 'Mail [email] or call [phone]'
 */
export function redactPii(text: string): string {
  const redacted = redactWhole(text);
  return text.includes('**') ? redactMarked(text, redacted) : redacted;
}

// A link's user:password (`https://bot:hunter2@host`) and the values of query parameters that carry secrets.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^@/\s:'"<>]+:[^@/\s'"<>]+@/gi;
const SECRET_PARAMETERS = /([?&](?:access_token|token|api_key|apikey|key|password|secret|client_secret|signature|sig|auth)=)[^&#\s'"<>]+/gi;

/**
 * Masks the secrets `standard` hides in free text: the password of a link (`https://bot:pw@host` → `https://***@host`)
 * and the values of secret query parameters (`?token=…` → `?token=***`). Everything else stays.
 */
export function redactLinkSecrets(text: string): string {
  if (!text.includes('://') && !text.includes('=')) return text;
  return text.replace(URL_CREDENTIALS, '$1***@').replace(SECRET_PARAMETERS, '$1***');
}

/**
 * The free-text redactor for a level: `off` shows text as stored, `standard` masks secrets in links, `strict` masks
 * those and personal data ({@link redactPii}).
 */
export function freeTextRedactor(level: PiiRedaction): (text: string) => string {
  if (level === 'off') return (text) => text;
  if (level === 'standard') return redactLinkSecrets;
  return (text) => redactPii(redactLinkSecrets(text));
}
