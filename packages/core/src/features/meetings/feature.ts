import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { type MeetingDeps, oneOnOne, retro } from './meeting-packs.js';

/** What meeting packs call of the reader's facade: reports and their timelines, signals, the risk register. */
type MeetingsContext = FeatureContext<
  unknown,
  { reports: MeetingDeps['reports'] & { timeline: MeetingDeps['timeline'] }; signals: MeetingDeps['signals']; risks: MeetingDeps['risks'] }
>;

/**
 * Meeting packs (`ts.meetings`): 1:1 and retro packs whose lines each link to their evidence. It owns no table: it reads
 * through the reader's facade, so the reading rule applies to every line.
 */
export const meetingsFeature = defineFeature({
  name: 'meetings',
  perReader: true,
  api(context: MeetingsContext) {
    const deps = (): MeetingDeps => {
      const ts = context.facade();
      return {
        store: context.store,
        workspace: context.workspace,
        clock: context.clock,
        reading: context.reading,
        reports: ts.reports,
        timeline: (person, query) => ts.reports.timeline(person, query),
        signals: ts.signals,
        risks: ts.risks,
        metrics: context.metrics,
        sprints: context.readers.sprints,
      };
    };
    return {
      /**
       * A 1:1 pack for a person over `[from, to)` (ISO timestamps or days; default the 14 days before now): their
       * reports, blockers, work and reviews, the wellbeing prompts the viewer may see, and the open risks they own.
       * @example const pack = await ts.as('lead').meetings.oneOnOne('ana', { from: '2026-03-02' })
       */
      oneOnOne: (person: string, query?: { from?: string; to?: string }) => oneOnOne(deps(), person, query),
      /**
       * A retro pack for a team's sprint (default its latest closed sprint): carry-over, metric deltas against the
       * previous sprint, incidents, and the blockers people reported.
       * @example const pack = await ts.meetings.retro('payments', { sprint: 'pay-s8' })
       */
      retro: (team: string, query?: { sprint?: string }) => retro(deps(), team, query),
    };
  },
});
