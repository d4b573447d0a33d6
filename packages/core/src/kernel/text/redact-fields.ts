// Fields that hold identifiers, references and timestamps rather than words: a person id that is an email address, a
// commit SHA, a URL or an ISO date is structure a reader navigates by, so the free-text redactor leaves them alone.
const STRUCTURED_KEYS = new Set([
  'id',
  'ids',
  'key',
  'keys',
  'sha',
  'hash',
  'uri',
  'url',
  'at',
  'day',
  'date',
  'since',
  'until',
  'workspace',
  'email',
  'person',
  'people',
  'author',
  'reviewer',
  'reviewers',
  'assignee',
  'assignees',
  'members',
  'leads',
  'approvers',
  'by',
  'requestedBy',
  'decidedBy',
  'owner',
  'owners',
  'subjectId',
  'cursor',
]);
// camelCase fields of the facade, snake_case columns of a digest's own query (`author_id`, `head_sha`, `merged_at`).
const STRUCTURED_SUFFIX = /(?:Id|Ids|Sha|Hash|Url|Uri|At|Key|Keys|_id|_sha|_at|_url)$/;

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

const structured = (key: string, value: unknown) =>
  (STRUCTURED_KEYS.has(key) || STRUCTURED_SUFFIX.test(key)) &&
  (typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string')));

/**
 * A copy of `value` with `redact` applied to every string in it (arrays and plain objects walked), except the strings of
 * structured fields (`id`, `key`, `sha`, `url`, `*Id`, `*At`, person references …). Numbers, booleans, dates and
 * other objects are returned as they are.
 *
 * @example redactFields({ id: 'ana@acme.example', title: 'Mail ana@acme.example' }, redactPii) // { id: 'ana@acme.example', title: 'Mail [email]' }
 */
export function redactFields<T>(value: T, redact: (text: string) => string): T {
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return redact(item);
    if (Array.isArray(item)) return item.map(walk);
    if (!isPlainObject(item)) return item;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(item)) out[key] = structured(key, field) ? field : walk(field);
    return out;
  };
  return walk(value) as T;
}
