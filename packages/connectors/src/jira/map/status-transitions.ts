import type { StatusCategory, Transition } from '@teamstate/core';
import type { Changelog } from 'jira.js/cloud';
import { jiraInstant } from './jira-time.js';
import type { StatusCategories } from './status-categories.js';

/** Change histories oldest first (by time, then by history id), each with its instant. */
export function chronological(histories: readonly Changelog[]): { at: number; history: Changelog }[] {
  return histories
    .flatMap((history) => {
      const at = jiraInstant(history.created);
      return at === undefined ? [] : [{ at, history }];
    })
    .sort((a, b) => a.at - b.at || Number(a.history.id ?? 0) - Number(b.history.id ?? 0));
}

/**
 * Every status change of an issue, oldest first, with the categories of both statuses. A status the site
 * no longer has (deleted from the workflow) takes the current category when it is the current
 * status, and `in_progress` otherwise: it was somewhere between created and now.
 */
export function statusTransitions(
  histories: readonly Changelog[],
  categories: StatusCategories,
  current: { name: string; category: StatusCategory },
): Transition[] {
  const categoryOf = (id: string | null | undefined, name: string): StatusCategory =>
    categories.of(id, name) ?? (name === current.name ? current.category : 'in_progress');
  const transitions: Transition[] = [];
  for (const { at, history } of chronological(histories)) {
    for (const item of history.items ?? []) {
      if (item.fieldId !== 'status' && !(item.fieldId === undefined && item.field === 'status')) continue;
      if (!item.toString) continue;
      transitions.push({
        at: new Date(at).toISOString(),
        from: item.fromString ?? null,
        to: item.toString,
        fromCategory: item.fromString ? categoryOf(item.from, item.fromString) : null,
        toCategory: categoryOf(item.to, item.toString),
      });
    }
  }
  return transitions;
}
