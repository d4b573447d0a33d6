const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^([1-9]\d{0,6})(s|m|h|d)$/;

/**
 * Parses a policy duration: a positive whole number and one unit, `s`, `m`, `h` or `d`
 * (`30m`, `4h`, `24h`, `7d`). Returns milliseconds, or `undefined` when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
