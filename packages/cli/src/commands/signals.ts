import { type SignalSeverity, type StoredSignal, type TeamState, TeamStateError } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { readCredential } from '../credentials.js';
import { UsageError, wholeNumber } from '../errors.js';
import type { Io } from '../io.js';
import { renderSignals } from '../render-signals.js';
import { clockFrom, colors, printJson, withTeamState } from '../runtime.js';
import { resolveSignalId, shortIds } from '../signal-ids.js';

/**
 * `teamstate signals`: refreshes the signals at now (or --now) and lists them; `signals ack <id>` and `signals snooze <id>
 * --for 2d` stop working agreements' nudges about one, `signals unack <id>` starts them again, as `--as <person>` (or
 * the credential's person).
 */
export const registerSignals: RegisterCommand = (program, ctx) => {
  const signals = program
    .command('signals')
    .description('what needs attention: stale PRs, blockers, overloaded people, failed deploys (refreshed at --now)')
    .option('--team <id>', 'only this team')
    .option('--kind <kind>', 'only this kind, e.g. pr.awaiting_review')
    .option('--severity <level>', 'only info, warning or critical')
    .option('--status <status>', 'open (default), resolved or all', 'open')
    .option('--limit <n>', 'at most n signals (1-500)', '100')
    .addHelpText('after', '\nExamples:\n  $ teamstate signals --team payments\n  $ teamstate signals --kind item.blocked --json')
    .action(
      ctx.action(async (globals, options: { team?: string; kind?: string; severity?: string; status: string; limit: string }) => {
        const limit = wholeNumber('--limit', options.limit);
        return withTeamState(globals, ctx.io, async (ts) => {
          const refresh = await ts.signals.refresh();
          const signals = await ts.signals.list({
            team: options.team,
            kind: options.kind,
            severity: options.severity as SignalSeverity | undefined,
            status: options.status as 'open',
            limit,
          });
          const ids = shortIds(signals.map((signal) => signal.fingerprint));
          if (globals.json) printJson(ctx.io, { refresh, signals: signals.map((signal, n) => ({ ...signal, shortId: ids[n] })) });
          else ctx.io.stdout(renderSignals(signals, colors(ctx.io), { team: options.team, now: clockFrom(globals.now)() }));
          return 0;
        });
      }),
    );

  signals
    .command('ack <id>')
    .description('acknowledge a signal: you own it, and working agreements nudge nobody about it again')
    .option('--as <person>', 'who acknowledges (default: the person of your credential)')
    .option('--owner <person>', 'who owns acting on it (default: who acknowledges)')
    .addHelpText('after', '\nExamples:\n  $ teamstate signals ack "pr.awaiting_review:work_item:gh-pr-acme/api#7" --as ana')
    .action(
      ctx.action(async (globals, id: string, options: { as?: string; owner?: string }) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const by = await caller(ts, ctx.io, options.as, 'signals ack');
          const signal = await ts.signals.ack(await resolveSignalId(ts, id), {
            by,
            ...(options.owner === undefined ? {} : { owner: options.owner }),
          });
          if (globals.json) printJson(ctx.io, { signal });
          else ctx.io.stdout(`Acknowledged ${signal.fingerprint} as ${by} (owner ${signal.owner ?? by}): ${signal.title}\n`);
          return 0;
        }),
      ),
    );

  signals
    .command('snooze <id>')
    .description('snooze a signal: no working agreement nudges about it until then')
    .option('--for <duration>', 'how long, e.g. 4h, 2d')
    .option('--until <iso>', 'until this instant (ISO 8601)')
    .option('--as <person>', 'who snoozes (default: the person of your credential)')
    .addHelpText('after', '\nExamples:\n  $ teamstate signals snooze "pr.awaiting_review:work_item:gh-pr-acme/api#7" --for 2d --as ana')
    .action(
      ctx.action(async (globals, id: string, options: { as?: string; for?: string; until?: string }) => {
        if ((options.for === undefined) === (options.until === undefined))
          throw new UsageError('--for: give --for <duration> (e.g. 2d) or --until <iso>');
        return withTeamState(globals, ctx.io, async (ts) => {
          const by = await caller(ts, ctx.io, options.as, 'signals snooze');
          const signal = await ts.signals.snooze(await resolveSignalId(ts, id), {
            by,
            ...(options.for === undefined ? {} : { for: options.for }),
            ...(options.until === undefined ? {} : { until: options.until }),
          });
          if (globals.json) printJson(ctx.io, { signal });
          else ctx.io.stdout(`Snoozed ${signal.fingerprint} until ${snoozedUntil(signal)}: ${signal.title}\n`);
          return 0;
        });
      }),
    );

  signals
    .command('unack <id>')
    .description('take back an acknowledgement or a snooze: working agreements nudge about the signal again')
    .option('--as <person>', 'who takes it back (default: the person of your credential)')
    .addHelpText('after', '\nExamples:\n  $ teamstate signals unack "pr.awaiting_review:work_item:gh-pr-acme/api#7" --as ana')
    .action(
      ctx.action(async (globals, id: string, options: { as?: string }) =>
        withTeamState(globals, ctx.io, async (ts) => {
          const by = await caller(ts, ctx.io, options.as, 'signals unack');
          const signal = await ts.signals.unack(await resolveSignalId(ts, id), { by });
          if (globals.json) printJson(ctx.io, { signal });
          else ctx.io.stdout(`Took back the acknowledgement of ${signal.fingerprint} as ${by}: ${signal.title}\n`);
          return 0;
        }),
      ),
    );
};

const snoozedUntil = (signal: StoredSignal) => signal.snoozedUntil ?? '(not snoozed)';

/** Who acts: `--as`, else the person of the credential (`TEAMSTATE_TOKEN` or the credentials file). */
async function caller(ts: TeamState, io: Io, as: string | undefined, command: string): Promise<string> {
  if (as !== undefined) return as;
  const credential = readCredential(io);
  if (credential) {
    const token = await ts.tokens.authenticate(credential.token);
    if (!token)
      throw new TeamStateError(
        'unauthenticated',
        `${credential.source}: the token is unknown, revoked or expired here; or give --as <person>`,
      );
    return token.person;
  }
  throw new UsageError(`--as: who is this? give ${command} <id> --as <person> (a person id), or set TEAMSTATE_TOKEN`);
}
