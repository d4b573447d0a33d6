// Ranks the deployments that may have caused an incident, from the team's own delivery data. Deterministic and
// explainable: every point of a score comes from a reason, and every reason names the rows it read.

/** How far back before an incident began a deployment can be a suspect. */
export const SUSPECT_WINDOW_MS = 24 * 3_600_000;

/** The weight of each kind of evidence (docs/incidents.md, "How suspects are ranked"). */
export const SUSPECT_WEIGHTS = {
  /** The incident names this deployment. */
  named: 10,
  /** The deployment is of the incident's repository. */
  repository: 4,
  /** The deployment is of a repository owned by the incident's team. */
  team: 3,
  /** Nearness: up to this much, falling linearly from the incident's start to 24 h before it. */
  nearest: 2,
  /** A pull request it shipped changed paths of the incident's service. */
  paths: 2,
  /** It failed, or it was rolled back (a later deployment went back to the sha deployed before it). */
  failed: 1.5,
} as const;

export type SuspectReasonKind = keyof typeof SUSPECT_WEIGHTS;

export interface SuspectReason {
  kind: SuspectReasonKind;
  /** The points this reason adds. */
  weight: number;
  /** What the evidence says, in a sentence. */
  text: string;
  /** The rows it read: `deployment:<id>`, `pull_request:<id>`, `incident:<id>`, `repository:<id>`. */
  rows: string[];
}

export interface Suspect {
  /** The deployment's id. */
  deployment: string;
  repository: string;
  environment: string;
  status: string;
  finishedAt: string;
  /** The sum of its reasons' weights, rounded to 3 decimals. */
  score: number;
  reasons: SuspectReason[];
}

/** A candidate deployment and what is known about it. */
export interface Candidate {
  id: string;
  repository: string;
  environment: string;
  status: string;
  sha: string | null;
  finishedAt: number;
  /** The repository's owning team. */
  team: string | null;
  /** The pull requests it shipped, each with its changed paths. */
  pullRequests: { id: string; paths: string[] }[];
  /** A later deployment of the same repository and environment that went back to the sha deployed before this one. */
  rolledBackBy: string | null;
}

export interface SuspectIncident {
  id: string;
  createdAt: number;
  repository: string | null;
  team: string | null;
  service: string | null;
  deployment: string | null;
}

/** The lower-cased words of a service's name or id a path segment must equal (`checkout-api` → `checkout-api`, `checkout`). */
function serviceTerms(service: string): string[] {
  const whole = service.toLowerCase().trim();
  const first = whole.split(/[^a-z0-9]+/).filter((w) => w.length >= 3)[0];
  return [...new Set([whole, ...(first ? [first] : [])])].filter((t) => t.length > 0);
}

/** Whether a changed path has a folder or file stem equal to one of the service's terms. */
function pathOfService(path: string, terms: readonly string[]): boolean {
  const segments = path.toLowerCase().split('/');
  return segments.some((segment, i) => {
    const stem = i === segments.length - 1 ? segment.replace(/\.[^.]*$/, '') : segment;
    return terms.includes(stem);
  });
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Scores each candidate (deployed before the incident began, within 24 h) and ranks them: highest score first, then
 * nearest to the start, then by id. Candidates with no evidence tying them to the incident (neither named, of its
 * repository or team, nor changing its service's paths) are left out.
 */
export function rankSuspects(incident: SuspectIncident, candidates: readonly Candidate[]): Suspect[] {
  const terms = incident.service ? serviceTerms(incident.service) : [];
  const suspects: (Suspect & { gap: number })[] = [];
  for (const d of candidates) {
    const gap = incident.createdAt - d.finishedAt;
    const named = incident.deployment === d.id;
    if (!named && (gap < 0 || gap > SUSPECT_WINDOW_MS)) continue;
    const reasons: SuspectReason[] = [];
    const deploymentRow = `deployment:${d.id}`;
    if (named)
      reasons.push({
        kind: 'named',
        weight: SUSPECT_WEIGHTS.named,
        text: `incident ${incident.id} names deployment ${d.id}`,
        rows: [`incident:${incident.id}`, deploymentRow],
      });
    if (incident.repository !== null && d.repository === incident.repository)
      reasons.push({
        kind: 'repository',
        weight: SUSPECT_WEIGHTS.repository,
        text: `deployed ${d.repository}, the incident's repository`,
        rows: [deploymentRow, `repository:${d.repository}`],
      });
    else if (incident.team !== null && d.team === incident.team)
      reasons.push({
        kind: 'team',
        weight: SUSPECT_WEIGHTS.team,
        text: `deployed ${d.repository}, owned by team ${incident.team} like the incident's service`,
        rows: [deploymentRow, `repository:${d.repository}`],
      });
    const touching = terms.length === 0 ? [] : d.pullRequests.filter((pr) => pr.paths.some((p) => pathOfService(p, terms)));
    if (touching.length > 0)
      reasons.push({
        kind: 'paths',
        weight: SUSPECT_WEIGHTS.paths,
        text: `shipped ${touching.length} pull request(s) changing paths of service ${incident.service}`,
        rows: touching.map((pr) => `pull_request:${pr.id}`),
      });
    if (reasons.length === 0) continue;
    if (gap >= 0 && gap <= SUSPECT_WINDOW_MS) {
      const minutes = Math.round(gap / 60_000);
      reasons.push({
        kind: 'nearest',
        weight: round(SUSPECT_WEIGHTS.nearest * (1 - gap / SUSPECT_WINDOW_MS)),
        text: `finished ${minutes} min before the incident began`,
        rows: [deploymentRow, `incident:${incident.id}`],
      });
    }
    if (d.status === 'failure' || d.status === 'error')
      reasons.push({
        kind: 'failed',
        weight: SUSPECT_WEIGHTS.failed,
        text: `the deployment ended with status ${d.status}`,
        rows: [deploymentRow],
      });
    else if (d.rolledBackBy !== null)
      reasons.push({
        kind: 'failed',
        weight: SUSPECT_WEIGHTS.failed,
        text: `rolled back by deployment ${d.rolledBackBy}, which went back to the sha deployed before it`,
        rows: [deploymentRow, `deployment:${d.rolledBackBy}`],
      });
    suspects.push({
      deployment: d.id,
      repository: d.repository,
      environment: d.environment,
      status: d.status,
      finishedAt: iso(d.finishedAt),
      score: round(reasons.reduce((sum, r) => sum + r.weight, 0)),
      reasons,
      gap: Math.abs(gap),
    });
  }
  suspects.sort((a, b) => b.score - a.score || a.gap - b.gap || (a.deployment < b.deployment ? -1 : a.deployment > b.deployment ? 1 : 0));
  return suspects.map(({ gap: _gap, ...suspect }) => suspect);
}
