import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Approval, type AuditEvent, approvalContentHash, TeamStateError } from '@teamstate/core';
import { pathAfter, postedForm, type SignedInSession, signedIn, type WebContext, wrongMethod } from './web-context.js';
import { csrfInput, escapeHtml, layout, seeOther, sendPage, table } from './web-html.js';

const DECISIONS = ['approve', 'decline', 'modify'] as const;
type WebDecision = (typeof DECISIONS)[number];

const link = (a: Approval) => `<a href="/approvals/${encodeURIComponent(a.id)}">${escapeHtml(a.id)}</a>`;
const row = (a: Approval) => [
  link(a),
  escapeHtml(a.status),
  escapeHtml(a.type),
  escapeHtml(a.target),
  escapeHtml(a.risk),
  escapeHtml(a.requestedBy),
  escapeHtml(a.createdAt),
  escapeHtml(a.expiresAt ?? ''),
];
const HEAD = ['ID', 'Status', 'Type', 'Target', 'Risk', 'Requested by', 'Created', 'Expires'];

/** `GET /approvals`: the pending approvals, oldest first, and the latest decided ones. */
export async function approvalsPage(ctx: WebContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET') return wrongMethod(response, 'GET');
  const session = signedIn(ctx, request, response);
  if (!session) return;
  const pending = (await ctx.ts.approvals.list({ status: 'pending', limit: 500 })).reverse();
  const recent = (await ctx.ts.approvals.list({ limit: 25 })).filter((a) => a.status !== 'pending');
  const html = layout(
    'Approvals',
    [
      '<h2>Waiting for a decision</h2>',
      table(HEAD, pending.map(row), 'Nothing is waiting for a decision.', 'pending-approvals'),
      '<h2>Latest</h2>',
      table(HEAD, recent.map(row), 'No approvals yet.', 'recent-approvals'),
    ].join(''),
    session,
  );
  sendPage(response, 200, html);
}

/** `/approvals/{id}`: one approval (GET), or a decision on it (POST). */
export async function approvalRoute(ctx: WebContext, request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'POST') return wrongMethod(response, 'GET, POST');
  const session = signedIn(ctx, request, response);
  if (!session) return;
  const id = pathAfter(request, '/approvals/') ?? '';
  const approval = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await ctx.ts.approvals.get(id) : undefined;
  if (!approval) return sendPage(response, 404, layout('Not found', `<p>No approval ${escapeHtml(id)}.</p>`, session));
  if (request.method === 'GET') return showApproval(ctx, response, session, approval);
  const form = postedForm(session, response, body);
  if (!form) return;
  const outcome = await decide(ctx, session, approval, form);
  if (typeof outcome === 'string') return showApproval(ctx, response, session, approval, outcome, 409);
  seeOther(response, `/approvals/${encodeURIComponent(approval.id)}`);
}

/** Decides `approval` as the signed-in person; a refusal's text (the page shows it) instead of the decided approval. */
async function decide(ctx: WebContext, session: SignedInSession, approval: Approval, form: URLSearchParams): Promise<Approval | string> {
  const who = session.signedIn;
  if (!who.mayDecide) return `Your sign-in (${who.via}) cannot decide: sign in with a token that has the decide scope.`;
  const decision = form.get('decision') as WebDecision | null;
  if (decision === null || !DECISIONS.includes(decision)) return 'decision: expected approve, decline or modify.';
  // The person decides what the page showed them: a change since (another decision, a modify) is refused.
  if (form.get('sha256') !== approvalContentHash(approval))
    return 'sha256: the approval changed since this page was shown; read it again before deciding.';
  let params: Record<string, unknown> | undefined;
  if (decision === 'modify') {
    try {
      const parsed: unknown = JSON.parse(form.get('params') ?? '');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      params = parsed as Record<string, unknown>;
    } catch {
      return 'params: expected the edited params as a JSON object.';
    }
  }
  const reason = form.get('reason')?.trim();
  try {
    return await ctx.ts.approvals.decide(approval.id, {
      decision,
      by: who.person,
      ...(reason ? { reason } : {}),
      ...(params ? { params } : {}),
      authentication: who.authentication,
    });
  } catch (error) {
    if (error instanceof TeamStateError) return error.message;
    throw error;
  }
}

function decisionForms(session: SignedInSession, approval: Approval, hash: string): string {
  if (approval.status !== 'pending') return '';
  if (!session.signedIn.mayDecide)
    return `<p class="note" data-testid="cannot-decide">You signed in with ${escapeHtml(session.signedIn.via)}, which cannot decide: sign in with a token that has the decide scope.</p>`;
  const hidden = `${csrfInput(session)}<input type="hidden" name="sha256" value="${escapeHtml(hash)}">`;
  const reason = '<label>Reason <input type="text" name="reason" maxlength="2000"></label>';
  return [
    '<h2>Decide</h2>',
    `<form class="decide" method="post" data-testid="approve-form">${hidden}${reason}`,
    '<button type="submit" name="decision" value="approve">Approve</button> ',
    '<button type="submit" name="decision" value="decline">Decline</button></form>',
    `<form class="decide" method="post" data-testid="modify-form">${hidden}`,
    `<label>Edited params (JSON) <textarea name="params">${escapeHtml(JSON.stringify(approval.params, null, 2))}</textarea></label>`,
    reason,
    '<button type="submit" name="decision" value="modify">Approve with these params</button></form>',
  ].join('');
}

function trail(history: readonly AuditEvent[]): string {
  return table(
    ['Seq', 'At', 'Event', 'Actor', 'Hash'],
    history.map((e) => [
      e.seq.toString(),
      escapeHtml(e.at),
      escapeHtml(e.type),
      escapeHtml(e.actor),
      `<code>${escapeHtml(e.hash.slice(0, 16))}…</code>`,
    ]),
    'No ledger entries.',
    'ledger-trail',
  );
}

async function showApproval(
  ctx: WebContext,
  response: ServerResponse,
  session: SignedInSession,
  approval: Approval,
  refusal?: string,
  status = 200,
): Promise<void> {
  const history = await ctx.ts.audit.list({ approvalId: approval.id, limit: 1000 });
  const hash = approvalContentHash(approval);
  const field = (label: string, value: string | undefined) =>
    value === undefined ? '' : `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
  const a = approval;
  const html = layout(
    `Approval ${a.id}`,
    [
      refusal ? `<p class="error" data-testid="refusal">${escapeHtml(refusal)}</p>` : '',
      `<p>Status: <strong data-testid="status">${escapeHtml(a.status)}</strong></p>`,
      `<p>Params sha256 <code data-testid="params-sha256">${escapeHtml(hash)}</code> of { type, target, params }</p>`,
      `<pre data-testid="params">${escapeHtml(JSON.stringify(a.params, null, 2))}</pre>`,
      '<table>',
      field('Type', `${a.type} (${a.mode}, ${a.risk} risk)`),
      field('Target', a.target),
      field('Requested', `by ${a.requestedBy}${a.onBehalfOf ? ` for ${a.onBehalfOf}` : ''} at ${a.createdAt}`),
      field("Reason (the requester's words)", a.reason),
      field('Model', a.modelVersion),
      field('Expires', a.expiresAt),
      field('Approvers', a.approvers.length > 0 ? a.approvers.join(', ') : undefined),
      field('Escalation', a.escalation),
      field('Decided', a.decision && `${a.decision} by ${a.decidedBy} at ${a.decidedAt}${a.decisionReason ? `: ${a.decisionReason}` : ''}`),
      field('Executed', a.executedAt),
      field('Result', a.result === undefined ? undefined : JSON.stringify(a.result)),
      field('Error', a.error && `${a.error.code}: ${a.error.message}`),
      field('Policy', a.policyHash),
      '</table>',
      decisionForms(session, a, hash),
      '<h2>Ledger trail</h2>',
      trail(history),
    ].join(''),
    session,
  );
  sendPage(response, status, html);
}
