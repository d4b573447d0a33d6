import { safeText } from '@teamstate/core';
import { standupDigest } from '@teamstate/metrics';
import type { RegisterCommand } from '../command-context.js';
import { buildConnectors } from '../config/build-connectors.js';
import { UsageError } from '../errors.js';
import { postToSlack, slackCodeBlock } from '../post-to-slack.js';
import { configFor, printJson, refuseNow, withTeamState } from '../runtime.js';
import { wrapText } from '../wrap.js';

/** `teamstate standup --team <id>`: what each member did since the last working day, and the team's blockers. */
export const registerStandup: RegisterCommand = (program, ctx) => {
  program
    .command('standup')
    .description('the standup digest of a team: merged, opened, reviewed, moved, blocked per person, and team blockers')
    .requiredOption('--team <id>', 'the team')
    .option('--since <iso>', 'start of the period (default: the same time on the previous working day)')
    .option('--post', 'also post the digest to Slack, through the policy (slack.message.post)')
    .option('--channel <id>', 'the Slack channel to post to (with --post)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate standup --team payments\n  $ teamstate standup --team payments --since 2026-11-20T09:00:00Z --json\n  $ teamstate standup --team payments --post --channel C0123ABCD',
    )
    .action(
      ctx.action(async (globals, options: { team: string; since?: string; post?: boolean; channel?: string }) => {
        if (options.post) refuseNow(globals, 'standup --post');
        if (options.post && !options.channel)
          throw new UsageError('--channel: give the Slack channel id to post to with --post (e.g. --channel C0123ABCD)');
        // Posting needs the Slack connector from the config; a plain digest needs no connector.
        const loaded = options.post ? configFor(globals, ctx.io) : undefined;
        const connectors = loaded ? await buildConnectors(loaded, {}, { only: ['slack'] }) : undefined;
        return withTeamState(
          globals,
          ctx.io,
          async (ts) => {
            const digest = await standupDigest(ts, { team: options.team, since: options.since });
            const posted = options.post
              ? await postToSlack(ts, {
                  channel: options.channel!,
                  text: slackCodeBlock(digest.text),
                  reason: `standup digest for ${digest.team.name}`,
                })
              : undefined;
            if (globals.json) {
              printJson(
                ctx.io,
                posted
                  ? { ...digest, post: { status: posted.approval.status, approval: posted.approval.id, message: posted.message } }
                  : digest,
              );
            } else {
              ctx.io.stdout(wrapText(safeText(digest.text)));
              if (posted) ctx.io.stderr(`${posted.message}\n`);
            }
            return posted?.exitCode ?? 0;
          },
          connectors ? { connectors } : {},
        );
      }),
    );
};
