import { TeamStateError } from '../../kernel/errors.js';

/**
 * Serializes a JSON value canonically (RFC 8785 style): object keys sorted by UTF-16 code units,
 * no whitespace, numbers and strings as `JSON.stringify` writes them, `undefined` properties dropped.
 * Two equal values always give the same text, so the text can be hashed.
 *
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TeamStateError('invalid_argument', `cannot serialize the number ${value} as JSON`);
      return JSON.stringify(value);
    case 'object': {
      const toJson = (value as { toJSON?: () => unknown }).toJSON;
      if (typeof toJson === 'function') return canonicalJson(toJson.call(value));
      if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
    }
    default:
      throw new TeamStateError('invalid_argument', `cannot serialize a ${typeof value} as JSON`);
  }
}
