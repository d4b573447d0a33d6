import type { SlackCommandAnswer, SlackCommandAnswers, SlackCommandQuery } from '@teamstate/connectors/slack';
import { type TeamState, TeamStateError } from '@teamstate/core';
import { prReviewQueue, sprintHealth, standupDigest } from '@teamstate/metrics';

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
 * person's first team; `ask` with knowledge search and its citations, where this teamstate has it. Every answer
 * reads as the person who asked (`ts.as(person)`: the documents, reports and wellbeing they may read). `teamState` is
 * read when a command arrives (the facade is opened after the connectors are built).
 */
export function slackCommandAnswers(teamState: () => TeamState): SlackCommandAnswers {
  const answers: SlackCommandAnswers = {
    async standup(query) {
      const ts = teamState().as(query.person);
      const team = await teamOf(ts, query);
      return fromDigest((await standupDigest(ts, { team })).text, `teamstate standup --team ${team}`);
    },
    async sprint(query) {
      const ts = teamState().as(query.person);
      const team = await teamOf(ts, query);
      return fromDigest((await sprintHealth(ts, { team })).text, `teamstate sprint --team ${team}`);
    },
    async triage(query) {
      const ts = teamState().as(query.person);
      const team = await teamOf(ts, query);
      return fromDigest((await prReviewQueue(ts, { team })).text, `the pr_review_queue tool for team ${team}`);
    },
  };
  return {
    ...answers,
    // `incident`: the open incidents, or one incident's brief (its top suspects, who is on call, the last timeline
    // entries, runbooks).
    async incident(query) {
      const ts = teamState().as(query.person);
      const id = query.argument.split(/\s+/)[0] ?? '';
      if (id === '') {
        // The count is of every open incident (as the overview and `incident list --status open`); the ten newest are listed.
        const open = await ts.incidents.summaries({ status: 'open', limit: 500 });
        return {
          title:
            open.length === 0 ? 'No open incidents' : `${open.length} open incident(s)${open.length > 10 ? ', the 10 newest below' : ''}`,
          text:
            open
              .slice(0, 10)
              .map((i) => `${i.id} · ${i.status} · ${i.title}${i.service ? ` · ${i.service}` : ''}`)
              .join('\n') || 'All quiet.',
          more: 'teamstate incident list',
        };
      }
      const brief = await ts.incidents.brief(id);
      const suspects = brief.suspects
        .slice(0, 3)
        .map((s) => `${s.deployment} (${s.repository}, score ${s.score}): ${s.reasons.map((r) => r.text).join('; ')}`);
      const recent = brief.timeline.slice(-5).map((e) => `${e.at.slice(11, 16)} ${e.kind}: ${e.text}`);
      return {
        title: `${brief.incident.id}: ${brief.incident.title} (${brief.incident.status})`,
        text: [
          'Likely cause:',
          ...(suspects.length > 0 ? suspects : ['no deployment of its service or team in the 24 h before it began']),
          '',
          'On call:',
          ...(brief.oncall.length > 0 ? brief.oncall.slice(0, 3).map((p) => `${p.name} (${p.role})`) : ['nobody known']),
          '',
          'Latest:',
          ...recent,
          ...(brief.runbooks.length > 0 ? ['', 'Runbooks:', ...brief.runbooks.map((r) => `${r.title}: ${r.uri}`)] : []),
        ].join('\n'),
        more: `teamstate incident brief ${id}`,
      };
    },
    // The documents the person may see (their teams'), and who may know when none of them answers: the fallback
    // reads as the person too, so it never names a document they may not see.
    async ask(query) {
      const { knowledge } = teamState().as(query.person);
      const passages = await knowledge.search(query.argument, { limit: ASK_PASSAGES });
      if (passages.length === 0) {
        const people = await knowledge.whoKnows(query.argument, { limit: 3 });
        return {
          title: `Nothing in the documents answers "${query.argument.slice(0, 80)}"`,
          text:
            people.length > 0
              ? `Who may know:\n${people
                  .map(
                    (p) =>
                      `${p.person.name}: ${p.evidence
                        .map((e) => e.title)
                        .slice(0, 2)
                        .join('; ')}`,
                  )
                  .join('\n')}`
              : 'Try other words.',
        };
      }
      return {
        title: `What the documents say about "${query.argument.slice(0, 80)}"`,
        text: passages
          .map((p) => {
            // The heading path starts with the page's own title where the page has it as its first heading.
            const path = p.headingPath[0] === p.document.title ? p.headingPath : [p.document.title, ...p.headingPath];
            return `${path.join(' › ')}\n${p.text}\nSource: ${p.document.uri}`;
          })
          .join('\n\n'),
        more: `teamstate knowledge search "${query.argument.slice(0, 80)}"`,
      };
    },
  };
}
