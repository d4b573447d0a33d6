import { userInfo } from 'node:os';
import {
  type Approval,
  type ApprovalStatus,
  type AuditEvent,
  approvalContentHash,
  type Connector,
  type DecisionAuthentication,
  NotFoundError,
  safeText,
  type TeamState,
  TeamStateError,
  type TeamStateOptions,
} from '@teamstate/core';
import type { CommandContext, RegisterCommand } from '../command-context.js';
import { connectorsForAction, isDemoWorkspace } from '../config/open-with-connectors.js';
import { credentialsPath, readCredential } from '../credentials.js';
import { UsageError, wholeNumber } from '../errors.js';
import { loadPolicyFile } from '../policy-file.js';
import { colors, commandLogger, configFor, type GlobalOptions, printJson, refuseNow, terminalJson, withTeamState } from '../runtime.js';
import { selfName } from '../self-command.js';
import { startTelemetry } from '../server/start-telemetry.js';
import { renderTable } from '../table.js';
import { wrapText } from '../wrap.js';

type ApprovalsOptions = GlobalOptions & { policy?: string };

const STATUSES = ['auto', 'pending', 'approved', 'executing', 'executed', 'failed', 'declined', 'expired', 'denied'];

/**
 * `teamstate approvals list|show <id>|approve <id>|decline <id> --as <person> [--reason <text>]`:
 * the human side of the approval loop. Approving here runs the action when the config has its connector
 * (built alone); otherwise it stays `approved` until a process that has one (`teamstate serve`, the MCP
 * server waiting on it) runs it.
 */
export const registerApprovals: RegisterCommand = (program, ctx) => {
  const approvals = program
    .command('approvals')
    .description('list, show, approve and decline proposed actions')
    .option('--policy <file>', 'policy file, YAML or JSON (env TEAMSTATE_POLICY; default: the built-in policy)');

  approvals
    .command('list')
    .description('list approvals, newest first')
    .option('--status <status>', `only this status (${STATUSES.join(', ')})`)
    .option('--type <type>', 'only this action type, e.g. github.pr.merge')
    .option('--limit <n>', 'at most n approvals (1-500)', '50')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate approvals list --status pending\n  $ teamstate approvals list --type github.pr.merge --json',
    )
    .action(
      ctx.action(async (globals: ApprovalsOptions, options: { status?: string; type?: string; limit: string }) => {
        const limit = wholeNumber('--limit', options.limit);
        const list = await open(ctx, globals, (ts) =>
          ts.approvals.list({ status: options.status as ApprovalStatus | undefined, type: options.type, limit }),
        );
        if (globals.json) printJson(ctx.io, { approvals: list });
        else if (list.length === 0) ctx.io.stdout('No approvals.\n');
        else {
          const rows = list.map((a) => [a.id, a.status, a.type, a.target, a.risk, a.requestedBy, a.createdAt, a.expiresAt ?? '']);
          ctx.io.stdout(
            `${renderTable(['ID', 'STATUS', 'TYPE', 'TARGET', 'RISK', 'REQUESTED BY', 'CREATED', 'EXPIRES'], rows, { drop: [7, 5, 6, 4] })}\n`,
          );
        }
        return 0;
      }),
    );

  approvals
    .command('show')
    .description('show one approval and its audit history')
    .argument('<id>', 'approval id')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate approvals show apr_3f9c2a17b04e6d85c1a9e2f0\n  $ teamstate approvals show apr_3f9c2a17b04e6d85c1a9e2f0 --json',
    )
    .action(
      ctx.action(async (globals: ApprovalsOptions, id: string) => {
        const { approval, history } = await open(ctx, globals, async (ts) => ({
          approval: await found(ts, id),
          history: await ts.audit.list({ approvalId: id, limit: 1000 }),
        }));
        if (globals.json) printJson(ctx.io, { approval, history });
        else ctx.io.stdout(wrapText(describe(ctx, approval, history)));
        return 0;
      }),
    );

  for (const decision of ['approve', 'decline'] as const) {
    approvals
      .command(decision)
      .description(
        decision === 'approve' ? 'approve a pending action (it runs here when the config has its connector)' : 'decline a pending action',
      )
      .argument('<id>', 'approval id')
      .option('--as <person>', 'who decides, without a credential: only with approvals.localTrust (a person id, login or email)')
      .option('--reason <text>', 'why, recorded on the approval and in the audit ledger')
      .addHelpText(
        'after',
        `\nWho decides is the person of your credential: TEAMSTATE_TOKEN, or ${credentialsPath(ctx.io.env)} (mode 0600),\nholding a token with the decide scope (teamstate tokens create --person <you> --scopes decide).\n\nExamples:\n  $ teamstate approvals ${decision} apr_3f2a… --reason "checked the diff"\n  $ teamstate approvals ${decision} apr_3f2a… --as ana   (local trust only)`,
      )
      .action(
        ctx.action(async (globals: ApprovalsOptions, id: string, options: { as?: string; reason?: string }) => {
          refuseNow(globals, `approvals ${decision}`);
          // TEAMSTATE_OTEL=1: the decision's metrics and the execution it runs here go to the OTLP endpoint.
          const telemetry = await startTelemetry(ctx.io, { prometheus: false, log: commandLogger(globals, ctx.io) });
          const approval = await decideHere(ctx, globals, id, decision, options).finally(() => telemetry.shutdown());
          if (globals.json) printJson(ctx.io, approval);
          else ctx.io.stdout(`${safeText(outcome(approval), { singleLine: true })}\n`);
          return 0;
        }),
      );
  }
};

/**
 * Decides as the authenticated person. An approval is run here, in the decision's own claim (exactly once, as
 * anywhere), when the config has the connector of its action type: that connector alone is built (a command needs
 * only the secrets it uses). Without it the approval stays `approved` for a process that has it.
 */
async function decideHere(
  ctx: CommandContext,
  globals: ApprovalsOptions,
  id: string,
  decision: 'approve' | 'decline',
  options: { as?: string; reason?: string },
): Promise<Approval> {
  const { decider, connectors } = await open(ctx, globals, async (ts) => ({
    decider: await authenticateDecider(ts, ctx, globals, decision, options.as),
    connectors: decision === 'approve' ? await connectorsForApproval(ctx, globals, ts, id) : [],
  }));
  return open(ctx, globals, (ts) => ts.approvals.decide(id, { decision, reason: options.reason, ...decider }), { connectors });
}

/** The connector that can run approval `id` here, if any (none for an id that is no approval: deciding says why). */
async function connectorsForApproval(ctx: CommandContext, globals: ApprovalsOptions, ts: TeamState, id: string): Promise<Connector[]> {
  const type = await ts.approvals.get(id).then(
    (approval) => approval?.type,
    () => undefined,
  );
  return type === undefined ? [] : connectorsForAction(configFor(globals, ctx.io), type, () => isDemoWorkspace(ts));
}

/**
 * Who decides, and how they proved it: the person of a credential with the `decide` scope, or, only in local
 * trust (`approvals.localTrust` in the config, or a workspace created in local-trust mode such as the demo),
 * the `--as` person, recorded with the OS user.
 */
async function authenticateDecider(
  ts: TeamState,
  ctx: CommandContext,
  globals: ApprovalsOptions,
  decision: 'approve' | 'decline',
  as: string | undefined,
): Promise<{ by: string; authentication: DecisionAuthentication }> {
  const credential = readCredential(ctx.io);
  if (credential) {
    const token = await ts.tokens.authenticate(credential.token);
    if (!token) {
      throw new TeamStateError(
        'unauthenticated',
        `${credential.source}: the token is unknown, revoked or expired here; create one with teamstate tokens create --person <you> --scopes decide`,
      );
    }
    if (!token.scopes.includes('decide')) {
      throw new TeamStateError(
        'unauthenticated',
        `${credential.source}: token ${token.id} of ${token.person} cannot decide (scopes ${token.scopes.join(', ')}); create one with --scopes decide`,
      );
    }
    if (as !== undefined && as !== token.person) {
      throw new UsageError(`--as: the credential in ${credential.source} is ${token.person}'s, not ${JSON.stringify(as)}; leave --as out`);
    }
    return { by: token.person, authentication: { method: 'token', token: token.id } };
  }
  const localTrust =
    configFor(globals, ctx.io)?.config.approvals?.localTrust === true || (await ts.settings.get('approvals.localTrust')) === true;
  if (!localTrust) {
    throw new TeamStateError(
      'unauthenticated',
      `approvals ${decision} needs a credential with the decide scope: set TEAMSTATE_TOKEN or put the token in ${credentialsPath(ctx.io.env)} (mode 0600); create one with teamstate tokens create --person <you> --scopes decide. --as alone works only with approvals.localTrust: true in the config, where anyone with a shell here can approve as anyone.`,
    );
  }
  if (as === undefined) throw new UsageError('--as: in local trust, give the person who decides (a person id, login or email)');
  return { by: as, authentication: { method: 'local', osUser: osUser() } };
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function open<T>(
  ctx: CommandContext,
  globals: ApprovalsOptions,
  fn: (ts: TeamState) => Promise<T>,
  extra: Partial<TeamStateOptions> = {},
): Promise<T> {
  const policy = loadPolicyFile(globals.policy, ctx.io);
  return withTeamState(globals, ctx.io, fn, { ...extra, ...(policy ? { policy } : {}) });
}

async function found(ts: TeamState, id: string): Promise<Approval> {
  const approval = await ts.approvals.get(id);
  if (!approval) throw new NotFoundError('approval', id);
  return approval;
}

function outcome(approval: Approval): string {
  const verb = approval.decision === 'decline' ? 'Declined' : 'Approved';
  const by = `${verb} ${approval.id} as ${approval.decidedBy}`;
  switch (approval.status) {
    case 'approved':
      return `${by}; no connector for ${approval.type} here: a process with that connector (${selfName()} serve) will run it.`;
    case 'executed':
      return `${by}. Executed here: ${JSON.stringify(approval.result ?? null)}`;
    case 'executing':
      return `${by}; another process is executing it.`;
    case 'failed':
      return `${by}, but it failed (${approval.error?.code}): ${approval.error?.message}`;
    default:
      return `${by}: ${approval.status}.`;
  }
}

/**
 * One approval for a person about to decide it: the params first (exactly what runs, with the sha256 of
 * `{ type, target, params }`), then the rest. Everything that came from the requester or upstream is data:
 * shown on one line, without escape sequences, and the reason is labelled as the requester's words.
 */
function describe(ctx: CommandContext, a: Approval, history: AuditEvent[]): string {
  const c = colors(ctx.io);
  const one = (value: string) => safeText(value, { singleLine: true, maxLength: 500 });
  const line = (label: string, value: string | undefined) => (value === undefined ? '' : `  ${label.padEnd(10)} ${one(value)}\n`);
  const params = terminalJson(a.params)
    .split('\n')
    .map((text) => `    ${text}\n`)
    .join('');
  return [
    `${c.bold(one(a.id))}  ${a.status}\n`,
    `  ${'params'.padEnd(10)} sha256 ${approvalContentHash(a)} of { type, target, params }\n`,
    params,
    line('type', `${a.type} (${a.mode}, ${a.risk} risk)`),
    line('target', a.target),
    line('requested', `by ${a.requestedBy} at ${a.createdAt}`),
    line('model', a.modelVersion),
    line('trace', a.traceId),
    line('reason', a.reason === undefined ? undefined : `(the requester's words) ${a.reason}`),
    line('expires', a.expiresAt),
    line('approvers', a.approvers.length > 0 ? a.approvers.join(', ') : undefined),
    line('decided', a.decision && `${a.decision} by ${a.decidedBy} at ${a.decidedAt}${a.decisionReason ? `: ${a.decisionReason}` : ''}`),
    line('executed', a.executedAt),
    line('result', a.result === undefined ? undefined : JSON.stringify(a.result)),
    line('error', a.error && `${a.error.code}: ${a.error.message}`),
    line('policy', a.policyHash),
    'History:\n',
    ...history.map(
      (event) => `  ${String(event.seq).padStart(5)}  ${event.at}  ${event.type.replace('approval.', '').padEnd(17)} ${one(event.actor)}\n`,
    ),
  ].join('');
}
