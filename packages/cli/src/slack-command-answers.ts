import type { SlackCommandAnswer, SlackCommandAnswers, SlackCommandQuery } from '@teamstate/connectors/slack';
import { type TeamState, TeamStateError } from '@teamstate/core';
import { prReviewQueue, sprintHealth, standupDigest } from '@teamstate/metrics';

/** A knowledge passage as `ts.knowledge.search` returns it (DESIGN.md section 13). */
interface Passage {
  text: string;
  headingPath?: string[];
  document: { title: string; uri: string };
}

/** `ts.knowledge`, where this build of core has it. */
type WithKnowledge = {
  knowledge?: {
    search(query: string, options: { limit?: number }): Promise<Passage[]>;
    whoKnows?(topic: string, options: { limit?: number }): Promise<{ person: string; name?: string }[]>;
  };
};

/** Passages an `ask` answer shows (each with its citation). */
const ASK_PASSAGES = 5;

// A digest's text is its title line, then the body: the same text `teamstate standup|sprint` prints.
function fromDigest(text: string, more: string): SlackCommandAnswer {
  const [title = '', ...rest] = text.split('\n');
  return { title, text: rest.join('\n'), more };
}

// `[team]`: the one named, or the asking person's first team.
async function teamOf(ts: TeamState, query: SlackCommandQuery): Promise<string> {
  if (query.argument !== '') return query.argument.split(/\s+/)[0]!;
  const person = await ts.people.get(query.person);
  const team = person?.teams?.[0];
  if (!team) throw new TeamStateError('invalid_argument', 'team: you are in no team, so name one, e.g. /teamstate standup payments');
  return team;
}

/**
 * How `teamstate serve` answers `/teamstate standup|sprint|triage|ask` in Slack: with the digests' own renderers
 * (`standupDigest`, `sprintHealth`, `prReviewQueue`, the same text the CLI prints), for the team named or the asking
 * person's first team; `ask` with knowledge search and its citations, where this teamstate has it. `teamState` is
 * read when a command arrives (the facade is opened after the connectors are built).
 */
export function slackCommandAnswers(teamState: () => TeamState): SlackCommandAnswers {
  const answers: SlackCommandAnswers = {
    async standup(query) {
      const ts = teamState();
      const team = await teamOf(ts, query);
      return fromDigest((await standupDigest(ts, { team })).text, `teamstate standup --team ${team}`);
    },
    async sprint(query) {
      const ts = teamState();
      const team = await teamOf(ts, query);
      return fromDigest((await sprintHealth(ts, { team })).text, `teamstate sprint --team ${team}`);
    },
    async triage(query) {
      const ts = teamState();
      const team = await teamOf(ts, query);
      return fromDigest((await prReviewQueue(ts, { team })).text, `the pr_review_queue tool for team ${team}`);
    },
  };
  // Knowledge search is another part of teamstate; ask is answered only where it is there.
  const knowledge = () => (teamState() as TeamState & WithKnowledge).knowledge;
  return {
    ...answers,
    async ask(query) {
      const search = knowledge();
      // Not part of this teamstate (yet): the connector says knowledge search is not configured.
      if (!search) return undefined;
      const passages = await search.search(query.argument, { limit: ASK_PASSAGES });
      if (passages.length === 0) {
        const people = (await search.whoKnows?.(query.argument, { limit: 3 })) ?? [];
        return {
          title: `Nothing in the documents answers "${query.argument.slice(0, 80)}"`,
          text: people.length > 0 ? `Who may know: ${people.map((p) => p.name ?? p.person).join(', ')}` : 'Try other words.',
        };
      }
      return {
        title: `What the documents say about "${query.argument.slice(0, 80)}"`,
        text: passages
          .map((p) => `${[p.document.title, ...(p.headingPath ?? [])].join(' › ')}\n${p.text}\nSource: ${p.document.uri}`)
          .join('\n\n'),
        more: `teamstate knowledge search "${query.argument.slice(0, 80)}"`,
      };
    },
  };
}
