import { localDay, parseTimestamp, type TeamRisk, type TeamState, TeamStateError } from '@teamstate/core';
import { field } from './digest-text.js';
import { requireTeam, shortDate } from './team-scope.js';

const WEEK = 7 * 86_400_000;

/** A risk as the digest lists it. */
export type DigestRisk = Pick<TeamRisk, 'id' | 'title' | 'severity' | 'likelihood' | 'status' | 'reviewBy' | 'source'> & {
  owner?: { id: string; name: string };
};

/** A team's week in its risk register, in the standup digest's format. */
export interface RiskDigest {
  team: { id: string; name: string };
  since: string;
  until: string;
  /** Every risk not closed, the most severe first. */
  open: DigestRisk[];
  /** Of those, the ones whose review day has passed. */
  reviewDue: DigestRisk[];
  /** Recorded in the window. */
  added: DigestRisk[];
  /** Closed in the window. */
  closed: DigestRisk[];
  text: string;
}

/**
 * A team's risk register for the week before now (or since `since`): what is open, what is due for review, what was
 * added and closed, as text in the standup digest's format (docs/hub.md#risk-register).
 */
export async function riskDigest(ts: TeamState, query: { team: string; since?: string }): Promise<RiskDigest> {
  const team = await requireTeam(ts, query.team);
  const now = ts.now().getTime();
  const since = query.since === undefined ? now - WEEK : parseTimestamp(query.since);
  if (since === undefined)
    throw new TeamStateError('invalid_argument', `since: invalid ISO timestamp "${query.since}" (expected e.g. 2026-03-01T09:00:00Z)`);
  if (since >= now) throw new TeamStateError('invalid_argument', `since: must be before now (${new Date(now).toISOString()})`);
  const all = await ts.risks.list({ team: team.id, status: 'all', limit: 1000 });
  const names = new Map((await ts.people.list({ team: team.id })).map((p) => [p.id, p.name]));
  for (const owner of new Set(all.flatMap((r) => (r.owner && !names.has(r.owner) ? [r.owner] : []))))
    names.set(owner, (await ts.people.get(owner))?.name ?? owner);
  const view = (r: TeamRisk): DigestRisk => ({
    id: r.id,
    title: r.title,
    severity: r.severity,
    likelihood: r.likelihood,
    status: r.status,
    source: r.source,
    ...(r.reviewBy === undefined ? {} : { reviewBy: r.reviewBy }),
    ...(r.owner === undefined ? {} : { owner: { id: r.owner, name: names.get(r.owner) ?? r.owner } }),
  });
  const inWindow = (at: string) => {
    const t = Date.parse(at);
    return t >= since && t < now;
  };
  const today = localDay(now);
  const open = all.filter((r) => r.status !== 'closed');
  const digest = {
    team: { id: team.id, name: team.name },
    since: new Date(since).toISOString(),
    until: new Date(now).toISOString(),
    open: open.map(view),
    reviewDue: open.filter((r) => r.reviewBy !== undefined && r.reviewBy < today).map(view),
    added: all.filter((r) => inWindow(r.createdAt)).map(view),
    closed: all.filter((r) => r.status === 'closed' && inWindow(r.updatedAt)).map(view),
  };
  return { ...digest, text: renderRisks(digest) };
}

const MARK = { critical: '!!', high: ' !', medium: '  ', low: '  ' } as const;

function line(r: DigestRisk): string {
  const owner = r.owner ? `owner ${field(r.owner.name)}` : 'no owner';
  const review = r.reviewBy ? `, review by ${r.reviewBy}` : '';
  return `  ${MARK[r.severity]} ${field(r.title)} (${r.severity}, ${r.likelihood} likelihood, ${r.status}; ${owner}${review})`;
}

function renderRisks(d: Omit<RiskDigest, 'text'>): string {
  const section = (title: string, risks: DigestRisk[], render: (r: DigestRisk) => string = line) => [
    title,
    ...(risks.length > 0 ? risks.map(render) : ['  none']),
    '',
  ];
  const lines = [
    `Risks for ${field(d.team.name)}, since ${shortDate(d.since)}`,
    '',
    ...section(`Open (${d.open.length})`, d.open),
    ...section('Due for review', d.reviewDue, (r) => `  ${MARK[r.severity]} ${field(r.title)} (review was due ${r.reviewBy})`),
    ...section('Added this week', d.added, (r) => `  added     ${field(r.title)} (${r.severity})`),
    ...section('Closed this week', d.closed, (r) => `  closed    ${field(r.title)}`),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
