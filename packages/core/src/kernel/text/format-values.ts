// The one way every text surface (CLI, MCP prompts and text, Slack answers) writes a number and a window: a duration
// with its unit, a share as a percentage to one decimal, story points to one decimal, never a float as it came out of
// the arithmetic, and a window in one format. JSON answers keep their own contract (hours to 2 decimals, ratios to 4).

const WEEK = 7 * 86_400_000;
const DAY = 86_400_000;

/** `12`, `12.5`, `12.35`: at most two decimals, no trailing zeros. */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/**
 * `12,000`: a whole number with its thousands grouped, as `toLocaleString('en-US')` writes it, without setting up
 * Intl's number formatting (about 20 ms the first time): for the limits that schemas and messages state at load.
 */
export function groupDigits(value: number): string {
  if (!Number.isSafeInteger(value)) return value.toLocaleString('en-US');
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `12.35 h`: a duration in hours, at most two decimals. */
export function formatHours(hours: number): string {
  return `${formatNumber(hours)} h`;
}

/** `7.2 d`: a duration in days, to one decimal. */
export function formatDays(days: number): string {
  return `${oneDecimal(days)} d`;
}

/** `38.5 %`: a ratio (0–1) as a percentage to one decimal. */
export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)} %`;
}

/** `67.5 points`, `68 points`, `1 point`: story points to one decimal. */
export function formatPoints(points: number): string {
  const shown = oneDecimal(points);
  return `${shown} point${shown === '1' ? '' : 's'}`;
}

const oneDecimal = (value: number) => {
  const rounded = Math.round(value * 10) / 10;
  return String(Object.is(rounded, -0) ? 0 : rounded);
};

/**
 * A metric value with its unit: hours as `12.35 h`, ratios as `60.0 %`, points as `67.5 points`, counts bare, any other
 * unit after the number (`1.83 deployments/day`); `—` for no value.
 */
export function formatMetricValue(value: number | null | undefined, unit: string | undefined): string {
  if (value === null || value === undefined) return '—';
  switch (unit) {
    case 'hours':
      return formatHours(value);
    case 'days':
      return formatDays(value);
    case 'ratio':
      return formatPercent(value);
    case 'points':
      return formatPoints(value);
    case 'count':
    case undefined:
    case '':
      return formatNumber(value);
    default:
      return `${formatNumber(value)} ${unit}`;
  }
}

/** A change of a metric value with its sign and unit: `+7.08 h`, `-1.2 %` (percentage points for ratios), `0 h`. */
export function formatMetricChange(delta: number, unit: string | undefined): string {
  const size = formatMetricValue(Math.abs(delta), unit);
  // A change that rounds to zero has no sign.
  if (Number.parseFloat(size) === 0) return size;
  return `${delta > 0 ? '+' : '-'}${size}`;
}

/** `2026-10-28 18:47` in UTC. */
function minute(at: number): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/**
 * A half-open window `[from, to)` in the one format of every text surface: `2026-10-28 18:47 to 2026-11-27 18:47 UTC`
 * (`to` excluded). Takes ISO timestamps or epoch milliseconds.
 */
export function formatWindow(window: { from: string | number; to: string | number }): string {
  const at = (value: string | number) => (typeof value === 'number' ? value : Date.parse(value));
  return `${minute(at(window.from))} to ${minute(at(window.to))} UTC`;
}

/** The Monday 00:00 UTC at or before an instant: where a weekly bucket starts. */
export function weekStart(at: number): number {
  const day = Math.floor(at / DAY) * DAY;
  // 1970-01-01 was a Thursday: day 0 is 3 days after a Monday.
  const sinceMonday = (Math.floor(day / DAY) + 3) % 7;
  return day - sinceMonday * DAY;
}

/**
 * The weekly buckets over `[from, to)`: each starts on a Monday 00:00 UTC, except a first one cut by `from` (marked
 * `partial`), and the last one ends at `to` (marked `partial` when it is cut short).
 */
export function weeklyBuckets(from: number, to: number): { from: number; to: number; partial: boolean }[] {
  const out: { from: number; to: number; partial: boolean }[] = [];
  for (let start = weekStart(from); start < to; start += WEEK) {
    const a = Math.max(start, from);
    const b = Math.min(start + WEEK, to);
    out.push({ from: a, to: b, partial: a !== start || b !== start + WEEK });
  }
  return out;
}
