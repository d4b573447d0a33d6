import type { WorkItem } from '@teamstate/core';

/** When an issue was worked on: from its first move into progress to its resolution (or on, when unresolved). */
interface Span {
  key: string;
  team: string | undefined;
  assignee: string | undefined;
  from: number;
  to: number;
}

function spanOf(issue: WorkItem): Span | undefined {
  const started = issue.transitions?.find((t) => t.toCategory === 'in_progress');
  if (!started) return undefined;
  return {
    key: issue.key,
    team: issue.team,
    assignee: issue.assignees?.[0],
    from: Date.parse(started.at),
    to: issue.resolvedAt ? Date.parse(issue.resolvedAt) : Number.POSITIVE_INFINITY,
  };
}

/**
 * Names in each pull request's body the issue it works on, as a developer writes "Part of PAY-112": one of its
 * author's issues in progress when it was opened, else one of the team's. Chosen by the PR's number, with no random
 * draw, so the rest of the organisation stays as it was for a seed and day. Goals reach a pull request through it.
 */
export function linkPullRequests(pullRequests: readonly WorkItem[], issues: readonly WorkItem[]): WorkItem[] {
  // Looked up by team and by team and assignee: at the large scale a scan of every issue per PR would take minutes.
  const byTeam = new Map<string, Span[]>();
  const add = (key: string, span: Span) => {
    const list = byTeam.get(key);
    if (list) list.push(span);
    else byTeam.set(key, [span]);
  };
  for (const issue of issues) {
    if (issue.kind === 'epic' || issue.kind === 'pull_request') continue;
    const span = spanOf(issue);
    if (!span) continue;
    add(`${span.team}`, span);
    add(`${span.team}|${span.assignee}`, span);
  }
  return pullRequests.map((pr, i) => {
    const opened = Date.parse(pr.createdAt);
    const person = pr.author ?? pr.assignees?.[0];
    const openAt = (key: string) => (byTeam.get(key) ?? []).filter((s) => s.from <= opened && opened < s.to);
    const own = openAt(`${pr.team}|${person}`);
    const from = own.length > 0 ? own : openAt(`${pr.team}`);
    const issue = from[i % Math.max(1, from.length)];
    return issue ? { ...pr, body: `${pr.body ?? ''}\n\nPart of ${issue.key}.` } : pr;
  });
}
