import type { Deployment, Incident, WorkItem } from '@teamstate/core';
import { DAY, type DemoContext, HOUR, iso } from './demo-context.js';
import { isWeekday } from './working-time.js';

/** The organisation's deployments (staging and production, some failed) and the incidents some of them caused. */
export interface DemoDeployments {
  deployments: Deployment[];
  incidents: Incident[];
}

interface DeploymentDeps extends DemoContext {
  /** The team whose id deployment and incident ids carry (a team generated on its own), if any. */
  scope: string | undefined;
  out: DemoDeployments;
}

/** A repository's merged pull requests, by merge time, and the first of them no deployment has shipped yet. */
interface ShipQueue {
  merged: WorkItem[];
  next: number;
}

/**
 * Deploys every repository on weekdays (`shape.stagingPerDay`, `shape.productionPerDay`): a production deployment
 * ships what merged before it, and a few cause an incident. The first repository's newest deployment delays payment
 * confirmations, the second repository's newest failed, and a provider's outage touched no repository.
 */
export function deployRepositories(
  ctx: DemoContext,
  byRepository: ReadonlyMap<string, WorkItem[]>,
  scope: string | undefined,
): DemoDeployments {
  const out: DemoDeployments = { deployments: [], incidents: [] };
  const deps: DeploymentDeps = { ...ctx, scope, out };
  const repositories = ctx.teams.flatMap((team) => team.repositories);
  for (const [repository, prs] of byRepository) {
    const lastProduction = deployRepository(deps, repository, prs);
    if (lastProduction && repository === repositories[0]) {
      out.incidents.push({
        id: nextId(deps, 'inc'),
        title: `Payment confirmations delayed after ${lastProduction.id}`,
        severity: 'sev2',
        createdAt: iso(Math.min(Date.parse(lastProduction.finishedAt) + 2 * HOUR, ctx.end - HOUR)),
        repository,
        deployment: lastProduction.id,
      });
    }
  }
  // The newest production deployment of the second repository failed: nothing has fixed it yet.
  const failing = repositories[1];
  if (failing) failNewestDeployment(deps, failing);
  out.incidents.push({
    id: nextId(deps, 'inc'),
    title: 'Status page provider outage',
    severity: 'sev3',
    createdAt: iso(ctx.end - 20 * DAY),
    resolvedAt: iso(ctx.end - 20 * DAY + 3 * HOUR),
  });
  return out;
}

/** The id of the next deployment or incident: numbered from 1 in the order they happen to be generated. */
function nextId(deps: DeploymentDeps, kind: 'deploy' | 'inc'): string {
  const n = (kind === 'deploy' ? deps.out.deployments : deps.out.incidents).length + 1;
  return deps.scope !== undefined ? `${kind}-${deps.scope}-${n}` : `${kind}-${n}`;
}

/** Deploys `repository` day by day; returns its last successful production deployment. */
function deployRepository(deps: DeploymentDeps, repository: string, prs: readonly WorkItem[]): Deployment | undefined {
  const { rng, shape } = deps;
  const queue: ShipQueue = {
    merged: prs.filter((pr) => pr.mergedAt !== undefined).sort((a, b) => a.mergedAt!.localeCompare(b.mergedAt!)),
    next: 0,
  };
  let lastProduction: Deployment | undefined;
  for (let day = deps.start; day < deps.end; day += DAY) {
    if (!isWeekday(day)) continue;
    if (rng.chance(shape.stagingPerDay)) deployToStaging(deps, repository, day);
    if (!rng.chance(shape.productionPerDay)) continue;
    lastProduction = deployToProduction(deps, repository, day, queue) ?? lastProduction;
  }
  return lastProduction;
}

function deployToStaging(deps: DeploymentDeps, repository: string, day: number): void {
  const { rng } = deps;
  const finished = day + 11 * HOUR + rng.between(0, 2 * HOUR);
  deps.out.deployments.push({
    id: nextId(deps, 'deploy'),
    repository,
    environment: 'staging',
    status: rng.chance(0.92) ? 'success' : 'failure',
    startedAt: iso(finished - 6 * 60_000),
    finishedAt: iso(finished),
    sha: rng.hex(40),
  });
}

/** A production deployment of `day`, shipping what merged before it unless it failed; returns it if it succeeded. */
function deployToProduction(deps: DeploymentDeps, repository: string, day: number, queue: ShipQueue): Deployment | undefined {
  const { rng } = deps;
  const finished = day + 15 * HOUR + rng.between(0, 3 * HOUR);
  const failed = rng.chance(0.1);
  const shipped: string[] = [];
  if (!failed) {
    while (queue.next < queue.merged.length && Date.parse(queue.merged[queue.next]!.mergedAt!) <= finished - 10 * 60_000)
      shipped.push(queue.merged[queue.next++]!.id);
  }
  const deployment: Deployment = {
    id: nextId(deps, 'deploy'),
    repository,
    environment: 'production',
    status: failed ? 'failure' : 'success',
    startedAt: iso(finished - 9 * 60_000),
    finishedAt: iso(finished),
    sha: rng.hex(40),
    // Most deployments say which PRs they shipped; some do not, to exercise the heuristic mapping.
    ...(!failed && rng.chance(0.75) ? { pullRequests: shipped } : {}),
  };
  deps.out.deployments.push(deployment);
  if (failed) return undefined;
  if (rng.chance(0.07)) incidentAfter(deps, deployment, finished);
  return deployment;
}

/** An incident a few hours after `deployment` (finished at `finished`), if it began before the anchor. */
function incidentAfter(deps: DeploymentDeps, deployment: Deployment, finished: number): void {
  const { rng, end } = deps;
  const created = finished + rng.skewed(3 * HOUR);
  const resolved = created + rng.skewed(4 * HOUR, 1.2);
  if (created >= end) return;
  deps.out.incidents.push({
    id: nextId(deps, 'inc'),
    title: `${rng.pick(['Elevated 5xx on', 'Latency spike in', 'Errors after deploy of', 'Degraded'])} ${deployment.repository.split('/')[1]}`,
    severity: rng.pick(['sev1', 'sev2', 'sev2', 'sev3', 'sev3']),
    createdAt: iso(created),
    ...(resolved < end ? { resolvedAt: iso(resolved) } : {}),
    repository: deployment.repository,
    ...(rng.chance(0.7) ? { deployment: deployment.id } : {}),
  });
}

function failNewestDeployment(deps: DeploymentDeps, repository: string): void {
  const finished = deps.end - 2 * HOUR;
  deps.out.deployments.push({
    id: nextId(deps, 'deploy'),
    repository,
    environment: 'production',
    status: 'failure',
    startedAt: iso(finished - 8 * 60_000),
    finishedAt: iso(finished),
    sha: deps.rng.hex(40),
  });
}
