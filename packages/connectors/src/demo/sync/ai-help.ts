import type { AiAssessment } from '@teamstate/core';
import type { Random } from './random.js';

/** The AI coding tools of the demo's people: Claude Code, Cursor and GitHub Copilot (the tool ids of AI detection). */
export type DemoAiTool = 'claude' | 'cursor' | 'copilot';

/** How AI helped with one pull request, and what the pull request shows of it (docs/ai-impact.md#detection). */
export interface AiHelp {
  tool: DemoAiTool;
  /** Opened by Copilot's coding agent (its `Copilot` bot account is the author; the person who asked is assigned). */
  agent: boolean;
  /** Claude Code wrote most of it and said so in the PR body. */
  footer: boolean;
  /** What the GitHub connector would have read from the commits and the author: trailers, the bot author. */
  ai?: AiAssessment;
  /** Labels the author added (`ai-copilot`, `ai-assisted`). */
  labels: string[];
  /** Lines the tool appended to the PR body. */
  body?: string;
}

/** Each person's habits with AI tools: their usual tool, and how much more (or less) than the team they use it. */
export interface AiHabit {
  tool: DemoAiTool;
  propensity: number;
}

const TOOLS: readonly DemoAiTool[] = ['claude', 'claude', 'claude', 'cursor', 'cursor', 'copilot', 'copilot', 'copilot'];

/**
 * A person's habit: mostly Claude Code, then Copilot and Cursor; a few people rarely use AI at all. `team` scales how
 * much (their team's adoption, 1 for the organisation's usual).
 */
export function aiHabit(rng: Random, team = 1): AiHabit {
  const tool = rng.pick(TOOLS);
  const roll = rng.next();
  return { tool, propensity: (roll < 0.15 ? 0.2 : roll < 0.6 ? 0.9 : 1.5) * team };
}

/**
 * The share of pull requests AI helped with, `progress` of the way (0 to 1) through the demo's history: adoption grows
 * from about 20% to about 50% of a typical person's pull requests.
 */
export const aiShare = (progress: number, habit: AiHabit) => Math.min(0.9, (0.2 + 0.3 * progress) * habit.propensity);

const CLAUDE_TRAILER = 'Co-Authored-By: Claude <noreply@anthropic.com>';
const CURSOR_TRAILER = 'Co-authored-by: Cursor Agent <cursoragent@cursor.com>';
const CLAUDE_FOOTER = '🤖 Generated with [Claude Code](https://claude.com/claude-code)';
const COPILOT_AGENT_FOOTER =
  '<!-- START COPILOT CODING AGENT TIPS -->\n---\n\n💡 You can make Copilot smarter by setting up custom instructions for this repository.';

/**
 * How AI helped one pull request, if it did: `share` is the chance it did. Most of the time the help leaves a trace a
 * connector reads (Claude Code's and Cursor's commit trailers, Claude Code's footer, Copilot's coding agent as the
 * author, a label the author added); Copilot in the editor often leaves none, which only the author's survey answer
 * shows. `agentAllowed`: whether the coding agent may have opened it (a person opened the demo's special PRs).
 */
export function aiHelp(rng: Random, share: number, habit: AiHabit, agentAllowed: boolean): AiHelp | undefined {
  const helped = rng.chance(share);
  // Drawn whether helped or not, so a PR's help never shifts the next PR's draws.
  const [usual, other, detail, trace] = [rng.chance(0.8), rng.pick(TOOLS), rng.next(), rng.next()];
  if (!helped) return undefined;
  const tool = usual ? habit.tool : other;
  if (tool === 'claude') {
    const footer = detail < 0.5;
    return {
      tool,
      agent: false,
      footer,
      ai: { assisted: true, tools: ['claude'], evidence: [{ kind: 'trailer', value: CLAUDE_TRAILER }] },
      labels: [],
      ...(footer ? { body: CLAUDE_FOOTER } : {}),
    };
  }
  if (tool === 'cursor')
    return {
      tool,
      agent: false,
      footer: false,
      ai: { assisted: true, tools: ['cursor'], evidence: [{ kind: 'trailer', value: CURSOR_TRAILER }] },
      labels: trace < 0.2 ? ['ai-assisted'] : [],
    };
  if (agentAllowed && detail < 0.12)
    return {
      tool,
      agent: true,
      footer: false,
      ai: { assisted: true, tools: ['copilot'], evidence: [{ kind: 'author', value: 'Copilot' }] },
      labels: [],
      body: COPILOT_AGENT_FOOTER,
    };
  // Copilot in the editor: the author labels it, or nothing shows.
  return { tool, agent: false, footer: false, labels: trace < 0.45 ? ['ai-copilot'] : trace < 0.6 ? ['ai-assisted'] : [] };
}
