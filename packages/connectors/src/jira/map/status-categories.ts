import type { StatusCategory } from '@teamstate/core';
import type { StatusDetails } from 'jira.js/cloud';

/** Maps Jira's status category keys (`new`, `indeterminate`, `done`) to teamstate's. */
export function categoryOfKey(key: string | undefined): StatusCategory {
  if (key === 'done') return 'done';
  if (key === 'indeterminate') return 'in_progress';
  return 'todo';
}

/** The category of every status of the site, by status id and by (lower-case) name. */
export interface StatusCategories {
  /** By id first (names can repeat across projects), then by name; `undefined` for a status Jira no longer knows. */
  of(id: string | null | undefined, name: string | null | undefined): StatusCategory | undefined;
}

/** Builds the lookup from `GET /rest/api/3/status`. */
export function statusCategories(statuses: readonly StatusDetails[]): StatusCategories {
  const byId = new Map<string, StatusCategory>();
  const byName = new Map<string, StatusCategory>();
  for (const status of statuses) {
    const category = categoryOfKey(status.statusCategory?.key);
    if (status.id) byId.set(status.id, category);
    if (status.name && !byName.has(status.name.toLowerCase())) byName.set(status.name.toLowerCase(), category);
  }
  return {
    of: (id, name) => (id ? byId.get(id) : undefined) ?? (name ? byName.get(name.toLowerCase()) : undefined),
  };
}
