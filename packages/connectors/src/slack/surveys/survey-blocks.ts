import type { DueReveal, DueSurvey, SurveyAssisted } from '@teamstate/core';
import type { Block } from '../approvals/approval-blocks.js';
import { feedbackButtonBlock } from '../feedback/feedback-blocks.js';

/** `action_id`s of the survey messages' elements: `teamstate.survey.<what>`. */
export const SURVEY_ACTIONS = {
  tools: 'teamstate.survey.tools',
  quality: 'teamstate.survey.quality',
  /** Followed by `.none|.partly|.mostly|.agent` (authors) or `.yes|.no` (a reviewer's guess). */
  assisted: 'teamstate.survey.assisted',
  guess: 'teamstate.survey.guess',
} as const;

/** Tools an author can tick (free text is not asked for: it would be one more thing to type on a phone). */
export const SURVEY_TOOLS = ['GitHub Copilot', 'Claude Code', 'Cursor', 'Codex', 'Gemini', 'Other'] as const;

const ASSISTED_LABELS: Record<SurveyAssisted, string> = {
  none: 'No AI',
  partly: 'Partly',
  mostly: 'Mostly',
  agent: 'Agent-authored',
};

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
/** Text from outside (a PR title) is plain text, never mrkdwn: it cannot mention, link or format. */
const plain = (text: string) => ({ type: 'plain_text', text: clip(text, 2900), emoji: false });
const option = (text: string, value: string) => ({ text: { type: 'plain_text', text, emoji: false }, value });

function pullRequestBlocks(pr: DueSurvey['pullRequest']): Block[] {
  return [
    { type: 'section', text: plain(`${pr.key}: ${pr.title}`) },
    ...(pr.url
      ? [
          {
            type: 'actions',
            elements: [{ type: 'button', action_id: 'teamstate.survey.open', text: plain('Open the pull request'), url: pr.url }],
          },
        ]
      : []),
  ];
}

/** The value every survey button carries: which pull request (the person is the one who clicks). */
export const surveyValue = (pullRequest: string) => JSON.stringify({ pr: pullRequest });

/**
 * The survey a person gets after a merge: the author is asked whether AI helped (and which tools), a reviewer to
 * rate the code and guess. Buttons answer at once; nothing is typed.
 */
export function surveyMessage(survey: DueSurvey): { text: string; blocks: Block[] } {
  const value = surveyValue(survey.pullRequest.id);
  if (survey.role === 'author') {
    return {
      text: `Was your merged pull request ${survey.pullRequest.key} AI-assisted?`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Your pull request was merged. Was it AI-assisted?*' } },
        ...pullRequestBlocks(survey.pullRequest),
        {
          type: 'section',
          block_id: 'tools',
          text: { type: 'mrkdwn', text: 'Which tools helped? (tick any, then answer below)' },
          accessory: {
            type: 'checkboxes',
            action_id: SURVEY_ACTIONS.tools,
            options: SURVEY_TOOLS.map((tool) => option(tool, tool)),
          },
        },
        {
          type: 'actions',
          block_id: 'assisted',
          elements: (Object.keys(ASSISTED_LABELS) as SurveyAssisted[]).map((level) => ({
            type: 'button',
            action_id: `${SURVEY_ACTIONS.assisted}.${level}`,
            text: plain(ASSISTED_LABELS[level]),
            value,
          })),
        },
        feedbackButtonBlock(survey.pullRequest.id),
        footer(survey.expiresAt),
      ],
    };
  }
  return {
    text: `How was the code of ${survey.pullRequest.key}, which you reviewed?`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: '*A pull request you reviewed was merged. How was the code?*' } },
      ...pullRequestBlocks(survey.pullRequest),
      {
        type: 'section',
        block_id: 'quality',
        text: { type: 'mrkdwn', text: 'Quality, 1 (poor) to 5 (excellent):' },
        accessory: {
          type: 'radio_buttons',
          action_id: SURVEY_ACTIONS.quality,
          options: ['1', '2', '3', '4', '5'].map((n) => option(n, n)),
        },
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'Do you think it was AI-assisted? The author is asked too; you will see their answer.' },
      },
      {
        type: 'actions',
        block_id: 'guess',
        elements: [
          { type: 'button', action_id: `${SURVEY_ACTIONS.guess}.yes`, text: plain('I think AI helped'), value },
          { type: 'button', action_id: `${SURVEY_ACTIONS.guess}.no`, text: plain('I think it did not'), value },
        ],
      },
      feedbackButtonBlock(survey.pullRequest.id),
      footer(survey.expiresAt),
    ],
  };
}

function footer(expiresAt: string): Block {
  const seconds = Math.floor(Date.parse(expiresAt) / 1000);
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Answers help the team see what AI changes. Open until <!date^${seconds}^{date_short_pretty}|${expiresAt}>. Not interested? Ask to opt out of surveys.`,
      },
    ],
  };
}

/**
 * What replaces a survey message once answered (no answer buttons left to click twice); "Report an AI issue" stays
 * when the pull request is given.
 */
export function answeredMessage(summary: string, pullRequest?: string): { text: string; blocks: Block[] } {
  return {
    text: summary,
    blocks: [{ type: 'section', text: plain(`✓ ${summary}`) }, ...(pullRequest ? [feedbackButtonBlock(pullRequest)] : [])],
  };
}

/** The reveal a reviewer gets once the author has answered too: their guess, right or wrong, and the author's answer. */
export function revealMessage(reveal: DueReveal): { text: string; blocks: Block[] } {
  const helped = reveal.assisted !== 'none';
  const authorSaid = `The author said: ${ASSISTED_LABELS[reveal.assisted]}${reveal.tools.length ? ` (${reveal.tools.join(', ')})` : ''}.`;
  const verdict =
    reveal.guess === undefined ? '' : reveal.guess === helped ? 'Your guess was right. ' : 'Your guess was not right this time. ';
  const text = `${verdict}${authorSaid}`;
  return {
    text: `${reveal.pullRequest.key}: ${text}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: '*The reveal for a pull request you reviewed*' } },
      { type: 'section', text: plain(`${reveal.pullRequest.key}: ${reveal.pullRequest.title}`) },
      { type: 'section', text: plain(text) },
    ],
  };
}
