import { errorMessage } from '../../kernel/errors.js';
import { redactSecrets } from '../../kernel/text/redact-secrets.js';
import type { ActionContext, ActionType } from '../../spec/action-type.js';
import type { PolicyRuling } from './policy/compile-policy.js';

/**
 * Why a post the policy would run at once waits for a person under `ask_if_channel_public`: the action type says the
 * channel is public, or could not tell (a failed lookup counts as public). `undefined` when the rule does not set it,
 * the mode is not `auto` (it is already held or refused), the action type does not say where it posts, or the channel
 * is private or a direct message.
 */
export async function publicChannelEscalation(
  action: ActionType,
  params: Record<string, unknown>,
  ruling: PolicyRuling,
  ctx: ActionContext,
): Promise<string | undefined> {
  if (!ruling.askIfChannelPublic || ruling.mode !== 'auto' || !action.channelVisibility) return undefined;
  const where = typeof params.channel === 'string' ? `channel ${params.channel}` : 'the channel';
  const rule = `the policy's "${ruling.askIfChannelPublic.rule}" sets ask_if_channel_public`;
  try {
    const visibility = await action.channelVisibility(params, ctx);
    return visibility === 'private' || visibility === 'direct' ? undefined : `${where} is public and ${rule}, so a person decides`;
  } catch (error) {
    const reason = redactSecrets(errorMessage(error)).slice(0, 200);
    return `could not tell whether ${where} is public (${reason}), so it counts as public: ${rule}, so a person decides`;
  }
}
