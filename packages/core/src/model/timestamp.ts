import { z } from 'zod';

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Parses an ISO 8601 timestamp that carries a UTC offset (`Z`, `+02:00`, `-0530`) into epoch milliseconds.
 * Returns `undefined` for anything else, including impossible dates such as `2026-02-30`.
 */
export function parseTimestamp(value: string): number | undefined {
  const match = isoPattern.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map((part) => (part === undefined ? undefined : Number(part)));
  if (month! < 1 || month! > 12 || hour! > 23 || minute! > 59 || (second ?? 0) > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (day! < 1 || day! > daysInMonth) return undefined;
  const ms = Date.parse(value.length > 0 && /[+-]\d{4}$/.test(value) ? `${value.slice(0, -2)}:${value.slice(-2)}` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Formats epoch milliseconds as a UTC ISO 8601 instant. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/** An ISO 8601 timestamp with a UTC offset; stored and compared as a UTC instant. */
export const timestampSchema = z
  .string({ error: 'expected an ISO 8601 timestamp string' })
  .refine((value) => parseTimestamp(value) !== undefined, {
    error: 'invalid ISO timestamp (expected e.g. 2026-03-01T09:30:00Z or 2026-03-01T10:30:00+01:00)',
  })
  .meta({ format: 'date-time', description: 'ISO 8601 timestamp with a UTC offset' });
