import type { PulseQuestion } from './pulse-settings.js';

/** A group's figures per question: mean (2 decimals), answers per value 1..5, change of the mean since the last round. */
export interface PulseQuestionResult {
  id: string;
  text: string;
  mean: number;
  /** How many answered 1, 2, 3, 4 and 5. */
  distribution: [number, number, number, number, number];
  /** The mean minus the previous round's for the same group, or null when that one was not shown. */
  trend: number | null;
}

/** A group too small to show (or one a subtraction would reveal). */
export interface PulseWithheld {
  withheld: true;
  reason: string;
}

/** A group's published figures. */
export interface PulseFigures {
  invited: number;
  responses: number;
  questions: PulseQuestionResult[];
  /** Comments their authors chose to share with leads: only for a reader who leads the group (or the database's owner). */
  comments?: string[];
}

/** One answer as the results read it: whose, their teams, their scores, and a shared comment. */
export interface PulseAnswerRow {
  person: string;
  teams: readonly string[];
  answers: Record<string, number>;
  sharedComment?: string;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The figures of a set of answers, per question. */
export function figuresOf(
  questions: readonly PulseQuestion[],
  answers: readonly PulseAnswerRow[],
  previous: Map<string, number> | undefined,
): PulseQuestionResult[] {
  return questions.map((q) => {
    const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
    let sum = 0;
    let n = 0;
    for (const a of answers) {
      const value = a.answers[q.id];
      if (value === undefined) continue;
      distribution[value - 1]! += 1;
      sum += value;
      n++;
    }
    const mean = n === 0 ? 0 : round2(sum / n);
    const before = previous?.get(q.id);
    return { id: q.id, text: q.text, mean, distribution, trend: before === undefined || n === 0 ? null : round2(mean - before) };
  });
}

/** The reason a group under `minGroup` answers is withheld. */
export const tooFew = (minGroup: number) => `fewer than ${minGroup} answers (pulse.minGroup), so no figure could be read as one person's`;

/** The reason the total (or a second group) is withheld. */
export const bySubtraction =
  'withheld so that subtracting the published groups from the total cannot reveal a group with fewer than pulse.minGroup answers';

/**
 * Which groups to publish, so that no group under `minGroup` answers is shown, also by subtraction: each team with at
 * least `minGroup` answers is published; the total is published unless the answers it holds outside every published
 * team (a withheld team, people in no team) are between 1 and `minGroup - 1`. When it is not, the total is withheld
 * too. Returns the published team ids and whether the total is.
 */
export function publishable(
  answers: readonly PulseAnswerRow[],
  teams: readonly string[],
  minGroup: number,
): { teams: Set<string>; total: boolean } {
  const count = new Map<string, number>();
  for (const a of answers) for (const t of a.teams) count.set(t, (count.get(t) ?? 0) + 1);
  const published = new Set(teams.filter((t) => (count.get(t) ?? 0) >= minGroup));
  const outside = answers.filter((a) => !a.teams.some((t) => published.has(t))).length;
  const total = answers.length >= minGroup && (outside === 0 || outside >= minGroup);
  return { teams: published, total };
}
