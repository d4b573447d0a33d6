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
  // Own keys are kept as they were: a key named `__proto__` stays a key (defined, never assigned), and an array keeps
  // its named properties (a search's non-enumerable `note`). An ordinary field is assigned, which costs a fraction of
  // defining it: every MCP, CLI and Slack answer is walked here, with its series of numbers.
  const copyFields = <O extends object>(from: object, to: O, names: readonly string[]): O => {
    for (const key of names) {
      const field = Object.getOwnPropertyDescriptor(from, key);
      if (field === undefined || !('value' in field)) continue;
      const copied = structured(key, field.value) ? field.value : walk(field.value);
      if (field.writable && field.enumerable && field.configurable && key !== '__proto__') (to as Record<string, unknown>)[key] = copied;
      else Object.defineProperty(to, key, { ...field, value: copied });
    }
    return to;
  };
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return redact(item);
    if (Array.isArray(item)) {
      const items = item.map(walk);
      const names = Object.getOwnPropertyNames(item);
      // Its indexes and `length` only (no hole, no named property): nothing more to copy.
      if (names.length === item.length + 1) return items;
      return copyFields(
        item,
        items,
        names.filter((key) => key !== 'length' && !/^\d+$/.test(key)),
      );
    }
    if (!isPlainObject(item)) return item;
    return copyFields(item, {}, Object.getOwnPropertyNames(item));
  };
  return walk(value) as T;
}
