import { type InteractionContext, type InteractionResult, NUDGE_SNOOZE, SIGNAL_ACTIONS, TeamStateError } from '@teamstate/core';

/** Whether a block action is one of a nudge's buttons (Acknowledge, Snooze). */
export const isSignalClick = (actionId: string) => actionId === SIGNAL_ACTIONS.ack || actionId === SIGNAL_ACTIONS.snooze;

/**
 * A click on a working agreement's nudge (docs/hub.md#working-agreements-and-nudges): Acknowledge or Snooze the signal
 * (its id is the button's value) as the clicking Slack user's person, after the acknowledgement; the answer goes to that
 * user alone. An unlinked user, an unknown or resolved signal are answered politely and change nothing.
 */
export function signalClick(
  ctx: InteractionContext,
  click: { user: string; actionId: string; value?: string },
  reply: (text: string) => Promise<unknown>,
): InteractionResult {
  const snooze = click.actionId === SIGNAL_ACTIONS.snooze;
  return {
    status: 200,
    answer: null,
    event: `block_actions signal ${snooze ? 'snooze' : 'ack'}`,
    async after() {
      const signals = ctx.signals;
      if (!signals || !click.value) {
        await reply('This button no longer works here: acknowledge the signal with `teamstate signals ack <id>`.');
        return;
      }
      const person = await ctx.personFor('slack', click.user);
      if (!person) {
        await reply(`Your Slack account (<@${click.user}>) is not linked to a person in teamstate, so nothing was recorded.`);
        return;
      }
      try {
        if (snooze) {
          const signal = await signals.snooze(click.value, person, NUDGE_SNOOZE);
          await reply(`Snoozed until ${signal.snoozedUntil ?? 'later'}: no more nudges about it until then.`);
        } else {
          await signals.ack(click.value, person);
          await reply('Acknowledged: you own it now, and nobody will be nudged about it again.');
        }
      } catch (error) {
        if (!TeamStateError.isInstance(error)) throw error;
        await reply(`Nothing recorded: ${error.message}`);
      }
    },
  };
}
