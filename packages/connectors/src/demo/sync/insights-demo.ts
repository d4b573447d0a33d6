import type { Bundle, WorkItem, WorkItemLink } from '@teamstate/core';

// What the demo organisation carries for allocation, capacity and dependencies (docs/allocation.md): the second team
// spends about half its effort keeping the lights on (ops, maintenance and chore labels) and some on debt, its active
// sprint pulled in ten items of the next one (over what it finishes), and the first team waits on a chain of blocking
// issues whose root is the second team's. Derived from the generated records with no random draws, so the rest of the
// organisation is unchanged.

const KTLO_LABELS = ['ops', 'maintenance', 'chore'] as const;
/** Items pulled from the next sprint into the active one. */
const PULLED_IN = 10;

const open = (item: WorkItem) => item.kind !== 'pull_request' && item.kind !== 'epic' && item.statusCategory !== 'done';
const keyNumber = (item: WorkItem) => Number(item.key.split('-').at(-1));

/** Labels a KTLO-heavy team's items: of each 20 in id order (bugs aside), 10 keep the lights on and 2 pay debt. */
function ktloLabels(bundle: Bundle, team: string): WorkItem[] {
  const repositories = new Set(bundle.repositories.filter((r) => r.team === team).map((r) => r.id));
  let n = 0;
  return bundle.workItems.map((item) => {
    const ours = item.team === team || (item.repository !== undefined && repositories.has(item.repository));
    if (!ours || item.kind === 'epic' || item.kind === 'bug' || item.labels?.includes('bug')) return item;
    const slot = n++ % 20;
    const label = slot < 10 ? KTLO_LABELS[slot % 3] : slot < 12 ? 'tech-debt' : undefined;
    return label ? { ...item, labels: [...(item.labels ?? []), label] } : item;
  });
}

/** Adds the KTLO-heavy team, the overcommitted sprint and the dependency chain to a generated organisation. */
export function withInsights(bundle: Bundle): Bundle {
  const [first, second] = bundle.teams;
  if (!first || !second) return bundle;
  let workItems = ktloLabels(bundle, second.id);
  let sprints = bundle.sprints;
  const active = sprints.find((s) => s.team === second.id && s.state === 'active');
  const next = sprints.find((s) => s.team === second.id && s.state === 'future');
  if (active && next) {
    const pulled = new Set(
      workItems
        .filter((item) => item.sprint === next.id && item.statusCategory === 'todo')
        .sort((a, b) => keyNumber(a) - keyNumber(b))
        .slice(0, PULLED_IN)
        .map((item) => item.id),
    );
    workItems = workItems.map((item) => (pulled.has(item.id) ? { ...item, sprint: active.id } : item));
    sprints = sprints.map((s) =>
      s.id === active.id
        ? { ...s, committedItems: [...(s.committedItems ?? []), ...pulled] }
        : s.id === next.id
          ? { ...s, committedItems: (s.committedItems ?? []).filter((id) => !pulled.has(id)) }
          : s,
    );
  }
  // The first team's three oldest open issues wait on each other, the first on the second team's oldest in progress.
  const byKey = (a: WorkItem, b: WorkItem) => keyNumber(a) - keyNumber(b);
  const waiting = workItems
    .filter((item) => item.team === first.id && open(item))
    .sort(byKey)
    .slice(0, 3);
  const root = workItems.filter((item) => item.team === second.id && open(item) && item.statusCategory === 'in_progress').sort(byKey)[0];
  const chain = root && waiting.length === 3 ? [root, ...waiting] : [];
  const workItemLinks: WorkItemLink[] = chain.slice(1).map((item, i) => ({ from: chain[i]!.id, to: item.id, kind: 'blocks' }));
  return { ...bundle, workItems, sprints, workItemLinks };
}
