import { userInfo } from 'node:os';
import { type PolicySimulation, type PolicyVersion, safeText, type TeamState, TeamStateError } from '@teamstate/core';
import type { CommandContext, RegisterCommand } from '../command-context.js';
import { credentialsPath, readCredential } from '../credentials.js';
import { UsageError, wholeNumber } from '../errors.js';
import { readPolicyFile } from '../policy-file.js';
import { configFor, type GlobalOptions, printJson, refuseNow, withTeamState } from '../runtime.js';
import { renderTable } from '../table.js';

/**
 * `teamstate policy show|history|propose <file>|simulate <file>`: the policy approved in the database, its versions,
 * and changes to it, which are approvals like any other action (docs/security.md#changing-the-policy).
 */
export const registerPolicy: RegisterCommand = (program, ctx) => {
  const policy = program.command('policy').description('the approved policy: show it and its history, simulate and propose changes');

  policy
    .command('show')
    .description('print the active version of the approved policy')
    .addHelpText('after', '\nExamples:\n  $ teamstate policy show\n  $ teamstate policy show --json')
    .action(
      ctx.action(async (globals) => {
        const active = await withTeamState(globals, ctx.io, (ts) => ts.policy.active());
        if (!active)
          throw new TeamStateError(
            'not_found',
            'policy: no approved version is stored (no policy is configured, so the built-in defaults run); propose one with teamstate policy propose <file>',
          );
        if (globals.json) printJson(ctx.io, active);
        else ctx.io.stdout(`${heading(active)}\n\n${safeText(active.text)}${active.text.endsWith('\n') ? '' : '\n'}`);
        return 0;
      }),
    );

  policy
    .command('history')
    .description('list every approved version, oldest first')
    .addHelpText('after', '\nExamples:\n  $ teamstate policy history\n  $ teamstate policy history --json')
    .action(
      ctx.action(async (globals) => {
        const versions = await withTeamState(globals, ctx.io, (ts) => ts.policy.history());
        if (globals.json) printJson(ctx.io, { versions });
        else if (versions.length === 0) ctx.io.stdout('No approved policy versions.\n');
        else {
          const one = (text: string) => safeText(text, { singleLine: true, maxLength: 80 });
          const rows = versions.map((v) => [v.version, v.hash.slice(0, 12), one(v.proposedBy), one(v.approvedBy), v.at]);
          ctx.io.stdout(`${renderTable(['VERSION', 'SHA256', 'PROPOSED BY', 'APPROVED BY', 'AT'], rows)}\n`);
        }
        return 0;
      }),
    );

  policy
    .command('simulate')
    .description("replay the last days' proposals under a candidate policy file")
    .argument('<file>', 'the candidate policy, YAML or JSON')
    .option('--days <n>', 'how many days back (1-3650)', '30')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate policy simulate policy.yaml\n  $ teamstate policy simulate policy.yaml --days 90 --json',
    )
    .action(
      ctx.action(async (globals, file: string, options: { days: string }) => {
        const days = wholeNumber('--days', options.days);
        const { text } = readPolicyFile(file);
        const simulation = await withTeamState(globals, ctx.io, (ts) => ts.policy.simulate(text, { days }));
        if (globals.json) printJson(ctx.io, simulation);
        else ctx.io.stdout(describeSimulation(file, simulation));
        return 0;
      }),
    );

  policy
    .command('propose')
    .description('propose a policy file as the next version: a policy.change approval (high risk, an approver decides)')
    .argument('<file>', 'the new policy, YAML or JSON')
    .option('--as <person>', 'who proposes, without a credential: only with approvals.localTrust (a person id)')
    .option('--reason <text>', 'why, shown to the approver (default: a summary of the simulation)')
    .option('--days <n>', 'how many days back the attached simulation replays (1-3650)', '30')
    .addHelpText(
      'after',
      `\nWho proposes is the person of your credential (TEAMSTATE_TOKEN, or ${credentialsPath(ctx.io.env)}), holding a token with the propose scope.\nApproving it (teamstate approvals approve <id>, with the decide scope) stores the next version.\n\nExamples:\n  $ teamstate policy propose policy.yaml --reason "deny merges on Fridays"\n  $ teamstate policy propose policy.yaml --as ana --json   (local trust only)`,
    )
    .action(
      ctx.action(async (globals, file: string, options: { as?: string; reason?: string; days: string }) => {
        refuseNow(globals, 'policy propose');
        const days = wholeNumber('--days', options.days);
        // Validated before anything is opened: a bad document is one message naming the field.
        const { text } = readPolicyFile(file);
        const approval = await withTeamState(globals, ctx.io, async (ts) =>
          ts.policy.propose({
            document: text,
            requestedBy: await proposer(ts, ctx, globals, options.as),
            days,
            ...(options.reason === undefined ? {} : { reason: options.reason }),
          }),
        );
        if (globals.json) printJson(ctx.io, approval);
        else
          ctx.io.stdout(
            `Proposed ${approval.id} (${approval.status}; ${approval.mode}, ${approval.risk} risk): ${safeText(approval.reason, { singleLine: true })}.\nAn approver decides it with: teamstate approvals approve ${approval.id}\n`,
          );
        return 0;
      }),
    );
};

const heading = (v: PolicyVersion) =>
  `Policy version ${v.version} (sha256 ${v.hash}), proposed by ${safeText(v.proposedBy, { singleLine: true })}, approved by ${safeText(v.approvedBy, { singleLine: true })} at ${v.at}`;

function describeSimulation(file: string, s: PolicySimulation): string {
  const modes = ['auto', 'ask', 'require_approval', 'deny'] as const;
  const counts = renderTable(
    ['MODE', 'BEFORE', 'AFTER'],
    modes.map((mode) => [mode, s.before[mode], s.after[mode]]),
    { align: ['left', 'right', 'right'] },
  );
  const changed =
    s.changed.length === 0
      ? 'No proposal would meet another mode.\n'
      : `${s.changed.length} would meet another mode:\n${renderTable(
          ['APPROVAL', 'TYPE', 'TARGET', 'BEFORE', 'AFTER'],
          s.changed.map((c) => [c.approvalId, c.type, safeText(c.target, { singleLine: true, maxLength: 80 }), c.before, c.after]),
        )}\n`;
  return `The last ${s.days} days' ${s.proposals} proposals under ${safeText(file, { singleLine: true })}:\n${counts}\n${changed}`;
}

/**
 * Who proposes: the person of a credential with the `propose` scope, or, only in local trust, `--as` (else the OS user).
 */
async function proposer(ts: TeamState, ctx: CommandContext, globals: GlobalOptions, as: string | undefined): Promise<string> {
  const credential = readCredential(ctx.io);
  if (credential) {
    const token = await ts.tokens.authenticate(credential.token);
    if (!token)
      throw new TeamStateError(
        'unauthenticated',
        `${credential.source}: the token is unknown, revoked or expired here; create one with teamstate tokens create --person <you> --scopes propose`,
      );
    if (!token.scopes.includes('propose'))
      throw new TeamStateError(
        'unauthenticated',
        `${credential.source}: token ${token.id} of ${token.person} cannot propose (scopes ${token.scopes.join(', ')}); create one with --scopes propose`,
      );
    if (as !== undefined && as !== token.person)
      throw new UsageError(`--as: the credential in ${credential.source} is ${token.person}'s, not ${JSON.stringify(as)}; leave --as out`);
    return token.person;
  }
  const localTrust =
    configFor(globals, ctx.io)?.config.approvals?.localTrust === true || (await ts.settings.get('approvals.localTrust')) === true;
  if (!localTrust)
    throw new TeamStateError(
      'unauthenticated',
      `policy propose needs a credential with the propose scope: set TEAMSTATE_TOKEN or put the token in ${credentialsPath(ctx.io.env)} (mode 0600); create one with teamstate tokens create --person <you> --scopes propose. --as alone works only with approvals.localTrust: true in the config.`,
    );
  return as ?? osUser();
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
