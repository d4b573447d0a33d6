// How the page writes numbers. A plain ES module so the browser test can import it too and compare the
// rendered text with numbers it computes itself through the SDK.

/** Hours under 72 as hours (`18.3 h`), longer ones as days (`4.1 d`). */
export function formatHours(hours) {
  return hours < 72 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} d`;
}

/**
 * A metric value with its unit, as the tiles show it; `—` when there is nothing to measure (`value: null`).
 * @example formatValue(0.8571, 'deployments/day') // '0.86 / day'
 */
export function formatValue(value, unit) {
  if (value === null || value === undefined) return '—';
  if (unit === 'hours') return formatHours(value);
  if (unit === 'ratio') return `${(value * 100).toFixed(1)} %`;
  if (unit === 'deployments/day') return `${value.toFixed(2)} / day`;
  if (unit === 'count') return Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`;
}

/** The label of a weekly bucket: the day it starts, `Mar 2` (UTC). */
export function weekLabel(from) {
  return new Date(from).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/**
 * A difference in hours with its sign (AI-assisted minus other); `—` without one.
 * @example formatDifference(-2.25) // '−2.3 h'
 */
export function formatDifference(hours) {
  if (hours === null || hours === undefined) return '—';
  return `${hours < 0 ? '−' : '+'}${formatHours(Math.abs(hours))}`;
}

/**
 * A 95% interval of a difference in hours, `−3.1 h to +1.2 h`; `not enough data` without one.
 * @example formatInterval([-3.1, 1.2]) // '−3.1 h to +1.2 h'
 */
export function formatInterval(interval) {
  if (!interval) return 'not enough data';
  return `${formatDifference(interval[0])} to ${formatDifference(interval[1])}`;
}

/** A share as a percentage, `25 %`; `—` for a week without merges (`null`). */
export function formatShare(share) {
  return share === null || share === undefined ? '—' : `${Math.round(share * 100)} %`;
}
