import type { TeamState } from '@teamstate/core';
import { revealMessage, surveyMessage } from './survey-blocks.js';

/** Who proposes survey messages: a requester that can never approve them. */
const SURVEYS_REQUESTER = 'teamstate-surveys';

/** What one round of {@link sendSlackSurveys} did. */
export interface SlackSurveyRound {
  /** Surveys proposed (sent where the policy says `auto`). */
  surveys: number;
  /** Reveals proposed. */
  reveals: number;
  /** People due a survey or reveal with no Slack account to send it to. */
  skipped: string[];
}

/**
 * Sends what `ts.surveys` has due through the policy, as `slack.survey.send` proposals: each survey once per pull
 * request and person (recorded before the next round, so a second process or a redelivered webhook sends none), and
 * each reveal once. A person without a linked Slack account is skipped and listed. `teamstate serve` runs this
 * every minute when `surveys.enabled` is set and Slack is configured.
 * @example const round = await sendSlackSurveys(ts)
 */
export async function sendSlackSurveys(ts: Pick<TeamState, 'surveys' | 'actions'>): Promise<SlackSurveyRound> {
  const round: SlackSurveyRound = { surveys: 0, reveals: 0, skipped: [] };
  for (const survey of await ts.surveys.due()) {
    if (!survey.slackUser) {
      round.skipped.push(survey.person);
      continue;
    }
    // Claimed first: of two processes, only the one whose claim lands proposes the message.
    if (!(await ts.surveys.recordSent({ pullRequest: survey.pullRequest.id, person: survey.person, role: survey.role }))) continue;
    const message = surveyMessage(survey);
    await ts.actions.propose({
      type: 'slack.survey.send',
      target: survey.slackUser,
      params: { user: survey.slackUser, ...message },
      reason: `survey of the ${survey.role} of merged pull request ${survey.pullRequest.key}`,
      requestedBy: SURVEYS_REQUESTER,
    });
    round.surveys += 1;
  }
  for (const reveal of await ts.surveys.reveals()) {
    await ts.surveys.recordRevealed(reveal.pullRequest.id, reveal.reviewer);
    if (!reveal.slackUser) {
      round.skipped.push(reveal.reviewer);
      continue;
    }
    await ts.actions.propose({
      type: 'slack.survey.send',
      target: reveal.slackUser,
      params: { user: reveal.slackUser, ...revealMessage(reveal) },
      reason: `survey reveal for a reviewer of ${reveal.pullRequest.key}`,
      requestedBy: SURVEYS_REQUESTER,
    });
    round.reveals += 1;
  }
  return round;
}
