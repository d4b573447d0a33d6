import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Approval, formatMetricValue, type MetricResult, metricWindow, type PolicySimulation, TeamStateError } from '@teamstate/core';
import { postedForm, type SignedInSession, signedIn, type WebContext, wrongMethod } from './web-context.js';
import { csrfInput, escapeHtml, layout, seeOther, sendPage, table } from './web-html.js';

/** The dashboards and their metrics (ids of `teamstate metrics`). */
export const DASHBOARDS = [
  {
    id: 'delivery',
    title: 'Delivery (DORA)',
    metrics: [
      'deployment_frequency',
      'lead_time_for_changes',
      'change_failure_rate',
      'failed_deployment_recovery_time',
      'time_to_restore_service',
    ],
  },
  { id: 'flow', title: 'Flow', metrics: ['pr_cycle_time', 'wip', 'flow_efficiency'] },
  { id: 'quality', title: 'Quality', metrics: ['change_failure_rate', 'rework_rate', 'build_success_rate'] },
] as const;

/**
 * A filter form: posted with the session's CSRF token like every form, then sent on as a GET with `fields` in the
 * query, so the token never lands in a URL.
 */
async function filterRedirect(
  session: SignedInSession,
  response: ServerResponse,
  body: Buffer,
  path: string,
  fields: readonly string[],
): Promise<void> {
  const form = postedForm(session, response, body);
  if (!form) return;
  const query = new URLSearchParams();
  for (const field of fields) {
    const value = form.get(field)?.trim();
    if (value) query.set(field, value);
  }
  seeOther(response, `${path}${query.size > 0 ? `?${query}` : ''}`);
}

async function teamSelect(ctx: WebContext, chosen: string | undefined, anyLabel: string): Promise<string> {
  const teams = await ctx.ts.teams.list();
  const option = (value: string, label: string) =>
    `<option value="${escapeHtml(value)}"${value === (chosen ?? '') ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  return `<label>Team <select name="team">${option('', anyLabel)}${teams.map((t) => option(t.id, t.name)).join('')}</select></label>`;
}

/** `/signals`: open signals, as the signed-in person may read them (person-level ones by the policy's privacy). */
export async function signalsPage(ctx: WebContext, request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'POST') return wrongMethod(response, 'GET, POST');
  const session = signedIn(ctx, request, response);
  if (!session) return;
  if (request.method === 'POST') return filterRedirect(session, response, body, '/signals', ['team']);
  const team = new URL(request.url ?? '/', 'http://localhost').searchParams.get('team') || undefined;
  const signals = await ctx.ts.as(session.signedIn.person).signals.list({ ...(team ? { team } : {}), limit: 500 });
  const rows = signals.map((s) => [
    escapeHtml(s.severity),
    escapeHtml(s.kind),
    escapeHtml(s.team ?? ''),
    escapeHtml(s.title),
    escapeHtml(s.firstSeenAt),
    escapeHtml(s.ack ? `acknowledged by ${s.ack.by}` : ''),
  ]);
  const html = layout(
    'Signals',
    [
      `<form method="post" action="/signals">${csrfInput(session)}${await teamSelect(ctx, team, 'All teams')}<button type="submit">Show</button></form>`,
      table(['Severity', 'Kind', 'Team', 'Signal', 'Since', 'Owner'], rows, 'No open signals.', 'signals'),
    ].join(''),
    session,
  );
  sendPage(response, 200, html);
}

function tile(id: string, title: string, result: MetricResult | undefined): string {
  const value = result?.value ?? null;
  const band = typeof result?.band === 'string' ? result.band : undefined;
  return [
    `<div class="tile" data-metric="${escapeHtml(id)}" data-value="${escapeHtml(JSON.stringify(value))}">`,
    `<div class="note" title="${escapeHtml(id)}">${escapeHtml(title)}</div>`,
    `<div class="value" data-testid="metric-${escapeHtml(id)}">${escapeHtml(formatMetricValue(value, result?.unit))}</div>`,
    band ? `<div class="band-${escapeHtml(band)}">${escapeHtml(band)}</div>` : '',
    '</div>',
  ].join('');
}

/** `/dashboards?team=&from=&to=`: delivery, flow and quality for a team and window, as `teamstate metrics` computes them. */
export async function dashboardsPage(ctx: WebContext, request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'POST') return wrongMethod(response, 'GET, POST');
  const session = signedIn(ctx, request, response);
  if (!session) return;
  if (request.method === 'POST') return filterRedirect(session, response, body, '/dashboards', ['team', 'from', 'to']);
  const q = new URL(request.url ?? '/', 'http://localhost').searchParams;
  const team = q.get('team') || undefined;
  const window = metricWindow({ from: q.get('from') || undefined, to: q.get('to') || undefined }, ctx.ts.now());
  const titles = new Map(ctx.ts.metrics.list().map((m) => [m.id, m.title]));
  const known = new Set(titles.keys());
  const sections: string[] = [];
  let problem: string | undefined;
  try {
    const ids = [...new Set(DASHBOARDS.flatMap((d) => d.metrics))].filter((id) => known.has(id));
    const results = await ctx.ts.metrics.compute(ids, { ...window, ...(team ? { team } : {}) });
    for (const dashboard of DASHBOARDS)
      sections.push(
        `<h2>${escapeHtml(dashboard.title)}</h2><div class="tiles" data-testid="dashboard-${dashboard.id}">${dashboard.metrics
          .filter((id) => known.has(id))
          .map((id) => tile(id, titles.get(id) ?? id, results[id]))
          .join('')}</div>`,
      );
  } catch (error) {
    if (!(error instanceof TeamStateError)) throw error;
    problem = error.message;
  }
  const html = layout(
    'Dashboards',
    [
      `<form method="post" action="/dashboards">${csrfInput(session)}${await teamSelect(ctx, team, 'Every team')}`,
      `<label>From <input type="text" name="from" value="${escapeHtml(window.from)}"></label>`,
      `<label>To <input type="text" name="to" value="${escapeHtml(window.to)}"></label>`,
      '<button type="submit">Show</button></form>',
      `<p class="note" data-testid="window">${escapeHtml(team ? `Team ${team}` : 'Every team')}, from ${escapeHtml(window.from)} to ${escapeHtml(window.to)} (half-open)</p>`,
      problem ? `<p class="error">${escapeHtml(problem)}</p>` : sections.join(''),
    ].join(''),
    session,
  );
  sendPage(response, problem ? 400 : 200, html);
}

function simulationTable(simulation: PolicySimulation): string {
  const modes = ['auto', 'ask', 'require_approval', 'deny'] as const;
  const counts = table(
    ['', ...modes],
    [
      ['before', ...modes.map((m) => (simulation.before[m] ?? 0).toString())],
      ['after', ...modes.map((m) => (simulation.after[m] ?? 0).toString())],
    ],
    '',
  );
  const changed = table(
    ['Approval', 'Type', 'Target', 'Before', 'After'],
    simulation.changed.map((c) => [
      `<a href="/approvals/${encodeURIComponent(c.approvalId)}">${escapeHtml(c.approvalId)}</a>`,
      escapeHtml(c.type),
      escapeHtml(c.target),
      escapeHtml(c.before),
      escapeHtml(c.after),
    ]),
    'No proposal would meet another mode.',
  );
  // The simulation is part of the proposal's params: escaped like everything a proposal carries.
  return `<p>Of the last ${simulation.days.toString()} days&#39; ${simulation.proposals.toString()} proposals:</p>${counts}${changed}`;
}

function isSimulation(value: unknown): value is PolicySimulation {
  return typeof value === 'object' && value !== null && 'before' in value && 'after' in value && 'changed' in value;
}

function pendingChange(a: Approval): string {
  const sha = typeof a.params.sha256 === 'string' ? a.params.sha256 : '';
  const document = typeof a.params.document === 'string' ? a.params.document : JSON.stringify(a.params.document ?? null);
  return [
    `<h3><a href="/approvals/${encodeURIComponent(a.id)}">${escapeHtml(a.id)}</a> proposed by ${escapeHtml(a.requestedBy)} at ${escapeHtml(a.createdAt)}</h3>`,
    `<p>Document sha256 <code>${escapeHtml(sha)}</code></p>`,
    isSimulation(a.params.simulation) ? simulationTable(a.params.simulation) : '',
    `<pre>${escapeHtml(document)}</pre>`,
  ].join('');
}

/** `GET /policy`: the active policy version and the pending policy changes with their simulation. */
export async function policyPage(ctx: WebContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET') return wrongMethod(response, 'GET');
  const session = signedIn(ctx, request, response);
  if (!session) return;
  const active = await ctx.ts.policy.active();
  const pending = await ctx.ts.approvals.list({ status: 'pending', type: 'policy.change', limit: 50 });
  const html = layout(
    'Policy',
    [
      active
        ? `<p data-testid="policy-version">Version ${active.version}, sha256 <code>${escapeHtml(active.hash)}</code>, proposed by ${escapeHtml(active.proposedBy)}, approved by ${escapeHtml(active.approvedBy)} at ${escapeHtml(active.at)}</p><pre>${escapeHtml(active.text)}</pre>`
        : `<p data-testid="policy-version">No approved version is stored: the given policy (or the built-in defaults) runs, hash <code>${escapeHtml(ctx.ts.policy.hash)}</code>.</p>`,
      '<h2>Pending changes</h2>',
      pending.length > 0 ? pending.map(pendingChange).join('') : '<p class="note">No policy change is waiting for a decision.</p>',
    ].join(''),
    session,
  );
  sendPage(response, 200, html);
}
