import {
  RISK_LIKELIHOODS,
  RISK_SEVERITIES,
  RISK_STATUSES,
  type RiskChange,
  type RiskChangeBy,
  safeText,
  type TeamRisk,
  type TeamState,
  unknownId,
} from '@teamstate/core';
import { riskDigest } from '@teamstate/metrics';
import type { Command } from 'commander';
import type { CommandContext, RegisterCommand } from '../command-context.js';
import { UsageError } from '../errors.js';
import { credentialPerson, reader } from '../reader.js';
import { printJson, refuseNow, withTeamState } from '../runtime.js';
import { selfName } from '../self-command.js';
import { resolveSignalId } from '../signal-ids.js';
import { renderTable } from '../table.js';

interface RiskFlags {
  team?: string;
  title?: string;
  severity?: string;
  likelihood?: string;
  owner?: string;
  mitigation?: string;
  reviewBy?: string;
  fromSignal?: string;
  fromIncident?: string;
  status?: string;
  as?: string;
}

/** A flag whose value must be one of `values`, or a usage error naming the flag. */
function oneOf<T extends string>(flag: string, value: string | undefined, values: readonly T[]): T | undefined {
  if (value === undefined || (values as readonly string[]).includes(value)) return value as T | undefined;
  throw new UsageError(`${flag}: expected one of ${values.join('|')}, got ${JSON.stringify(value)}`);
}

/**
 * Who records the change: `--as <person>`, else the person of the credential (`TEAMSTATE_TOKEN` or the credentials
 * file), as `report` and `feedback` commands are written.
 */
async function caller(ts: TeamState, ctx: CommandContext, as: string | undefined): Promise<RiskChangeBy> {
  const token = await credentialPerson(ts, ctx);
  if (token) {
    if (as !== undefined && as !== token.person)
      throw new UsageError(`--as: the credential in ${token.source} is ${token.person}'s, not ${JSON.stringify(as)}; leave --as out`);
    return { requestedBy: token.person };
  }
  if (as === undefined) throw new UsageError('--as: who records this? give --as <person> (a person id), or a credential (TEAMSTATE_TOKEN)');
  if (!(await ts.people.get(as))) {
    const known = (await ts.people.list()).map((p) => p.id);
    throw unknownId('--as', as, known, { what: 'person' });
  }
  return { requestedBy: as };
}

const oneLine = (text: string, max = 80) => safeText(text, { singleLine: true, maxLength: max });

function renderRisks(risks: TeamRisk[]): string {
  if (risks.length === 0) return 'No risks.\n';
  const rows = risks.map((r) => [r.id, r.team, r.severity, r.likelihood, r.status, r.owner ?? '', r.reviewBy ?? '', oneLine(r.title)]);
  return `${renderTable(['ID', 'TEAM', 'SEVERITY', 'LIKELIHOOD', 'STATUS', 'OWNER', 'REVIEW BY', 'TITLE'], rows, {
    drop: [3, 6, 5, 1],
    keep: [7],
  })}\n`;
}

/** Prints what a change did: the risk once it ran, or the approval it waits on. */
function printChange(ctx: CommandContext, json: boolean | undefined, change: RiskChange, done: string): number {
  const { approval, risk } = change;
  if (json) {
    printJson(ctx.io, { risk: risk ?? null, approval: { id: approval.id, status: approval.status, type: approval.type } });
    return 0;
  }
  if (risk) ctx.io.stdout(`${done} ${risk.id}: ${oneLine(risk.title)} (${risk.severity}, ${risk.status}).\n`);
  else
    ctx.io.stdout(
      `Waiting for approval ${approval.id} (${approval.status}): the policy asks a person to approve ${approval.type}; run ${selfName()} approvals approve ${approval.id}.\n`,
    );
  return 0;
}

/** The flags `risks add` and `risks update` share. */
function riskFlags(command: Command): Command {
  return command
    .option('--team <id>', 'the team whose risk it is')
    .option('--title <text>', 'what could go wrong')
    .option('--severity <s>', `how bad: ${RISK_SEVERITIES.join('|')}`)
    .option('--likelihood <l>', `how likely: ${RISK_LIKELIHOODS.join('|')} (default medium)`)
    .option('--owner <person>', 'who owns it (a person id)')
    .option('--mitigation <text>', 'what is being done about it')
    .option('--review-by <date>', 'the day to look at it again (YYYY-MM-DD)')
    .option('--from-signal <id>', "record it from a signal (its short id or fingerprint): copies the signal's evidence and team")
    .option('--from-incident <id>', "record it from an incident: copies the incident's evidence and its repository's team")
    .option('--as <person>', 'who records it (default: the credential’s person)');
}

/** `teamstate risks list|add|update|close|digest`: the team's risk register (docs/hub.md#risk-register). */
export const registerRisks: RegisterCommand = (program, ctx) => {
  const risks = program.command('risks').description("the teams' risk register: list, add, update, close, digest");

  risks
    .command('list')
    .description('risks, the most severe first (open ones by default)')
    .option('--team <id>', 'only this team')
    .option('--status <status>', 'open (every risk not closed, the default) or all', 'open')
    .addHelpText('after', '\nExamples:\n  $ teamstate risks list --team payments\n  $ teamstate risks list --status all --json')
    .action(
      ctx.action(async (globals, options: { team?: string; status: string }) => {
        const status = oneOf('--status', options.status, ['open', 'all', ...RISK_STATUSES] as const);
        return withTeamState(globals, ctx.io, async (ts) => {
          if (options.team !== undefined && !(await ts.teams.get(options.team)))
            throw unknownId(
              '--team',
              options.team,
              (await ts.teams.list()).map((t) => t.id),
              { what: 'team' },
            );
          const list = await (await reader(ts, ctx)).risks.list({ team: options.team, status, limit: 1000 });
          if (globals.json) printJson(ctx.io, { risks: list });
          else ctx.io.stdout(renderRisks(list));
          return 0;
        });
      }),
    );

  riskFlags(risks.command('add').description('record a risk (the action risk.create, through the policy)'))
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ teamstate risks add --team payments --title "Card processor sunset in June" --severity high --owner ana-garcia --as ana-garcia',
        '  $ teamstate risks add --team payments --title "Refund retries" --severity critical --from-incident inc-1 --as ana-garcia --json',
      ].join('\n'),
    )
    .action(
      ctx.action(async (globals, options: RiskFlags) => {
        refuseNow(globals, 'risks add');
        // A risk from a signal or an incident takes its team from there unless --team says otherwise.
        if (options.team === undefined && options.fromSignal === undefined && options.fromIncident === undefined)
          throw new UsageError('--team: required (the team whose risk this is), unless --from-signal or --from-incident gives it');
        if (options.title === undefined) throw new UsageError('--title: required (what could go wrong)');
        if (options.severity === undefined) throw new UsageError(`--severity: required (${RISK_SEVERITIES.join('|')})`);
        if (options.fromSignal !== undefined && options.fromIncident !== undefined)
          throw new UsageError('--from-signal, --from-incident: give one source, not both');
        const severity = oneOf('--severity', options.severity, RISK_SEVERITIES)!;
        const likelihood = oneOf('--likelihood', options.likelihood, RISK_LIKELIHOODS);
        return withTeamState(globals, ctx.io, async (ts) => {
          const by = await caller(ts, ctx, options.as);
          const source =
            options.fromSignal !== undefined
              ? `signal:${await resolveSignalId(ts, options.fromSignal)}`
              : options.fromIncident !== undefined
                ? `incident:${options.fromIncident}`
                : undefined;
          const change = await (await reader(ts, ctx)).risks.create(
            {
              ...(options.team === undefined ? {} : { team: options.team }),
              title: options.title!,
              severity,
              ...(likelihood === undefined ? {} : { likelihood }),
              ...(options.owner === undefined ? {} : { owner: options.owner }),
              ...(options.mitigation === undefined ? {} : { mitigation: options.mitigation }),
              ...(options.reviewBy === undefined ? {} : { reviewBy: options.reviewBy }),
              ...(source === undefined ? {} : { source }),
            },
            by,
          );
          return printChange(ctx, globals.json, change, 'Recorded');
        });
      }),
    );

  riskFlags(risks.command('update').description('change a risk (the action risk.update, through the policy)').argument('<id>', 'risk id'))
    .option('--status <s>', `${RISK_STATUSES.join('|')}`)
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate risks update risk_3f9c2a17b04e --status mitigating --mitigation "Second engineer on it" --as ana-garcia',
    )
    .action(
      ctx.action(async (globals, id: string, options: RiskFlags) => {
        refuseNow(globals, 'risks update');
        if (options.fromSignal !== undefined || options.fromIncident !== undefined)
          throw new UsageError('--from-signal, --from-incident: a risk keeps the source it was recorded from; give them to risks add');
        const severity = oneOf('--severity', options.severity, RISK_SEVERITIES);
        const likelihood = oneOf('--likelihood', options.likelihood, RISK_LIKELIHOODS);
        const status = oneOf('--status', options.status, RISK_STATUSES);
        return withTeamState(globals, ctx.io, async (ts) => {
          const by = await caller(ts, ctx, options.as);
          const change = await (await reader(ts, ctx)).risks.update(
            id,
            {
              ...(options.team === undefined ? {} : { team: options.team }),
              ...(options.title === undefined ? {} : { title: options.title }),
              ...(severity === undefined ? {} : { severity }),
              ...(likelihood === undefined ? {} : { likelihood }),
              ...(options.owner === undefined ? {} : { owner: options.owner }),
              ...(options.mitigation === undefined ? {} : { mitigation: options.mitigation }),
              ...(options.reviewBy === undefined ? {} : { reviewBy: options.reviewBy }),
              ...(status === undefined ? {} : { status }),
            },
            by,
          );
          return printChange(ctx, globals.json, change, 'Updated');
        });
      }),
    );

  risks
    .command('close')
    .description('close a risk (the action risk.close, through the policy)')
    .argument('<id>', 'risk id')
    .option('--reason <text>', 'why it is closed (recorded on the audit ledger)')
    .option('--as <person>', 'who closes it (default: the credential’s person)')
    .addHelpText('after', '\nExamples:\n  $ teamstate risks close risk_3f9c2a17b04e --reason "Migrated to the new API" --as ana-garcia')
    .action(
      ctx.action(async (globals, id: string, options: { reason?: string; as?: string }) => {
        refuseNow(globals, 'risks close');
        return withTeamState(globals, ctx.io, async (ts) => {
          const by = await caller(ts, ctx, options.as);
          const change = await (await reader(ts, ctx)).risks.close(id, options.reason === undefined ? {} : { reason: options.reason }, by);
          return printChange(ctx, globals.json, change, 'Closed');
        });
      }),
    );

  risks
    .command('digest')
    .description("a team's week in the register, in the standup digest's format")
    .requiredOption('--team <id>', 'the team')
    .option('--since <iso>', 'start of the window (default: 7 days before now)')
    .addHelpText('after', '\nExamples:\n  $ teamstate risks digest --team payments\n  $ teamstate risks digest --team payments --json')
    .action(
      ctx.action(async (globals, options: { team: string; since?: string }) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const digest = await riskDigest(await reader(ts, ctx), {
            team: options.team,
            ...(options.since === undefined ? {} : { since: options.since }),
          });
          if (globals.json) printJson(ctx.io, digest);
          else ctx.io.stdout(digest.text);
          return 0;
        }),
      ),
    );
};
