import { formatTimestamp } from '../model/timestamp.js';

// Helpers for the untyped `approvals` rows; the record tables map through records.ts.

/** Epoch ms column → ISO string, `undefined` for NULL. */
export const iso = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : formatTimestamp(Number(value));
/** Nullable text column → string | undefined. */
export const str = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : String(value));

/** Drops `undefined` properties so records serialize compactly and compare equal. */
export function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
