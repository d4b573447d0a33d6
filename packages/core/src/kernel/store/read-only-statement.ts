/**
 * Whether `sql` cannot write: a query (a `WITH` that names no writing statement), an `EXPLAIN`, or a `PRAGMA` that
 * sets nothing (neither `PRAGMA name = value` nor `PRAGMA name(value)`). Leading comments are skipped. A statement
 * it cannot tell is taken for a write, which only makes it wait its turn.
 */
export function readOnly(sql: string): boolean {
  const text = sql.replace(/^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)+/, '');
  if (/^(SELECT|EXPLAIN|VALUES)\b/i.test(text)) return true;
  if (/^PRAGMA\b/i.test(text)) return !/[=(]/.test(text);
  return /^WITH\b/i.test(text) && !/\b(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(text);
}
