import type { AiUsage, BundleFeedback, SurveyResponse, WorkItem } from '@teamstate/core';
import type { AiHabit, AiHelp } from './ai-help.js';
import type { Random } from './random.js';
import { addWorking, isWeekday, momentOf, type WorkingDay } from './working-time.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SURVEY_DAYS = 60;
const iso = (ms: number) => new Date(ms).toISOString();

/** What the AI practice of the organisation is made from. */
export interface PracticeInput {
  rng: Random;
  /** Copilot usage covers the weekdays of `[from, end)`; surveys began 60 days before `end` (or at `from`). */
  from: number;
  end: number;
  teams: readonly { id: string; members: readonly string[]; repositories: readonly string[] }[];
  /** The organisation's work items; a surveyed pull request's `ai` gets its author's answer as evidence. */
  workItems: readonly WorkItem[];
  aiHelped: ReadonlyMap<string, AiHelp>;
  habits: ReadonlyMap<string, AiHabit>;
  hoursOf(person: string): WorkingDay;
}

const TOOL_NAMES = { claude: 'Claude Code', cursor: 'Cursor', copilot: 'GitHub Copilot' } as const;

/**
 * Pull request surveys, as `teamstate serve` collects them in Slack, in two of every three teams (payments and
 * platform in the default demo): three in four merged pull requests of the last 60 days are surveyed; most authors
 * answer, about half the reviewers do, the rest never answer. Authors answer in line with how AI helped (Copilot
 * in the editor, which leaves no trace in the pull request, shows only here); reviewers rate AI-assisted code a
 * little lower and guess right more often than not.
 */
export function surveyResponses(input: PracticeInput): SurveyResponse[] {
  const { rng, end, hoursOf } = input;
  const since = Math.max(input.from, end - SURVEY_DAYS * DAY);
  const surveyed = new Set(input.teams.filter((_, t) => t % 3 !== 2).map((team) => team.id));
  const answers: SurveyResponse[] = [];
  for (const pr of input.workItems) {
    if (pr.kind !== 'pull_request' || pr.mergedAt === undefined || pr.author === undefined) continue;
    const merged = Date.parse(pr.mergedAt);
    // Drawn for every merged PR, so one PR's answers never shift another's.
    const [sampled, answers_, assistedRoll, quietRoll, authorWait] = [
      rng.chance(0.75),
      rng.chance(0.7),
      rng.next(),
      rng.next(),
      rng.skewed(3 * HOUR),
    ];
    if (merged < since || !surveyed.has(pr.team ?? '') || !sampled) continue;
    const help = input.aiHelped.get(pr.id);
    if (answers_) {
      const respondedAt = addWorking(merged, authorWait, hoursOf(pr.author));
      const assisted = !help
        ? quietRoll < 0.06
          ? 'partly'
          : 'none'
        : help.tool === 'claude'
          ? help.footer
            ? assistedRoll < 0.5
              ? 'agent'
              : 'mostly'
            : assistedRoll < 0.4
              ? 'mostly'
              : 'partly'
          : help.tool === 'cursor'
            ? assistedRoll < 0.5
              ? 'mostly'
              : 'partly'
            : assistedRoll < 0.15
              ? 'mostly'
              : 'partly';
      if (respondedAt < end) {
        answers.push({
          pullRequest: pr.id,
          person: pr.author,
          role: 'author',
          assisted,
          ...(assisted === 'none' ? {} : { tools: [TOOL_NAMES[help?.tool ?? 'copilot']] }),
          respondedAt: iso(respondedAt),
        });
        // The answer is evidence on the pull request's `ai`, as a workspace that collected it exports it.
        const evidence = [...(pr.ai?.evidence ?? []), { kind: 'survey' as const, value: `author: ${assisted}` }];
        const tools = assisted === 'none' ? (pr.ai?.tools ?? []) : [...new Set([...(pr.ai?.tools ?? []), help?.tool ?? 'copilot'])];
        pr.ai = { assisted: assisted !== 'none' || pr.ai?.assisted === true, tools, evidence };
      }
    }
    const reviewers = [...new Set((pr.reviews ?? []).map((review) => review.reviewer))].filter((r) => r !== pr.author);
    for (const reviewer of reviewers) {
      const [answered, quality, guessRoll, wait] = [
        rng.chance(0.5),
        rng.pick(help ? [2, 3, 3, 4, 4, 4, 5] : [3, 3, 4, 4, 4, 5, 5]),
        rng.next(),
        rng.skewed(5 * HOUR),
      ];
      const respondedAt = addWorking(merged, wait, hoursOf(reviewer));
      if (!answered || respondedAt >= end) continue;
      answers.push({
        pullRequest: pr.id,
        person: reviewer,
        role: 'reviewer',
        quality,
        guess: guessRoll < (help ? 0.7 : 0.2),
        respondedAt: iso(respondedAt),
      });
    }
  }
  return answers;
}

/**
 * GitHub Copilot's daily usage, as the GitHub connector reads it from the Copilot usage reports: the people who
 * mostly use Copilot on most working days, some others now and then, each from the day they started using it; and
 * the organisation's total per day.
 */
export function copilotUsage(input: PracticeInput, people: readonly string[]): AiUsage[] {
  const { rng, from, end } = input;
  const rows: AiUsage[] = [];
  const totals = new Map<string, AiUsage>();
  for (const person of people) {
    const habit = input.habits.get(person);
    const [occasional, startedAt] = [rng.chance(0.3), from + rng.between(0, 0.4) * (end - from)];
    const regular = habit?.tool === 'copilot';
    if (!regular && !occasional) continue;
    for (let day = from - (from % DAY); day < end; day += DAY) {
      const [active, interactions, generations, acceptance, perGeneration, keep] = [
        rng.chance(regular ? 0.85 : 0.35),
        rng.skewed(regular ? 14 : 4),
        rng.skewed(regular ? 45 : 12, 0.8),
        rng.between(0.22, 0.38),
        rng.between(2.5, 5),
        rng.between(0.2, 0.35),
      ];
      if (!isWeekday(day) || day < startedAt || !active) continue;
      const codeGenerations = Math.max(1, Math.round(generations));
      const linesSuggested = Math.round(codeGenerations * perGeneration);
      const usage: AiUsage = {
        day: iso(day).slice(0, 10),
        person,
        tool: 'copilot',
        activeUsers: 1,
        interactions: Math.round(interactions),
        codeGenerations,
        acceptances: Math.round(codeGenerations * acceptance),
        linesSuggested,
        linesAccepted: Math.round(linesSuggested * keep),
      };
      rows.push(usage);
      const total = totals.get(usage.day) ?? {
        day: usage.day,
        tool: 'copilot',
        activeUsers: 0,
        interactions: 0,
        codeGenerations: 0,
        acceptances: 0,
        linesSuggested: 0,
        linesAccepted: 0,
      };
      total.activeUsers += 1;
      total.interactions += usage.interactions;
      total.codeGenerations += usage.codeGenerations;
      total.acceptances += usage.acceptances;
      total.linesSuggested += usage.linesSuggested;
      total.linesAccepted += usage.linesAccepted;
      totals.set(usage.day, total);
    }
  }
  return [...rows, ...[...totals.values()].sort((a, b) => a.day.localeCompare(b.day))];
}

/** One piece of feedback a team's people reported, and how many days before the anchor. */
interface FeedbackTemplate {
  category: BundleFeedback['category'];
  text: string;
  tool: 'claude-code' | 'cursor' | 'copilot';
  /** Which of the team's repositories, and the paths in it. */
  repository: number;
  paths: string[];
  daysAgo: number;
}

const CLAUDE = 'claude-code';
/** What each kind of team (payments-, platform- and growth-like, by the team's index) reported about AI assistants. */
const FEEDBACK: readonly (readonly FeedbackTemplate[])[] = [
  [
    {
      category: 'missing_tests',
      text: 'Claude added the partial refund path but no test, and ignored our refund fixtures',
      tool: CLAUDE,
      repository: 0,
      paths: ['services/payments/refund.ts'],
      daysAgo: 76,
    },
    {
      category: 'missing_tests',
      text: 'No test for the currency rounding change: the generated code rounds half-up and nothing checks it',
      tool: CLAUDE,
      repository: 0,
      paths: ['services/payments/currency.ts'],
      daysAgo: 38,
    },
    {
      category: 'missing_tests',
      text: 'The webhook retry rewrite came without a single test for the backoff',
      tool: 'cursor',
      repository: 0,
      paths: ['services/payments/webhooks/retry.ts'],
      daysAgo: 19,
    },
    {
      category: 'missing_tests',
      text: 'Generated tests only cover the happy path; nothing for declined cards',
      tool: CLAUDE,
      repository: 0,
      paths: ['services/payments/charge.ts', 'services/payments/charge.test.ts'],
      daysAgo: 9,
    },
    {
      category: 'missing_tests',
      text: 'Had to write the idempotency key tests myself after the assistant opened the PR',
      tool: CLAUDE,
      repository: 0,
      paths: ['services/payments/idempotency.ts'],
      daysAgo: 3,
    },
    {
      category: 'security',
      text: 'It logged the whole webhook payload, card token included',
      tool: CLAUDE,
      repository: 0,
      paths: ['services/payments/webhooks/log.ts'],
      daysAgo: 27,
    },
    {
      category: 'missed_context',
      text: 'Used floats for amounts instead of our Money type',
      tool: 'copilot',
      repository: 1,
      paths: ['services/ledger/entries.ts'],
      daysAgo: 51,
    },
    {
      category: 'missed_context',
      text: 'Wrote raw SQL instead of going through the ledger repository layer',
      tool: 'copilot',
      repository: 1,
      paths: ['services/ledger/post.ts'],
      daysAgo: 12,
    },
  ],
  [
    {
      category: 'hallucinated_api',
      text: 'Suggested an auto_rotate argument that the AWS provider does not have',
      tool: 'cursor',
      repository: 0,
      paths: ['modules/rds/main.tf'],
      daysAgo: 33,
    },
    {
      category: 'style',
      text: 'Module variables in camelCase; ours are snake_case',
      tool: 'copilot',
      repository: 0,
      paths: ['modules/queues/variables.tf'],
      daysAgo: 15,
    },
    {
      category: 'performance',
      text: 'The rate limiter it wrote calls Redis twice per request',
      tool: CLAUDE,
      repository: 1,
      paths: ['src/gateway/rate-limit.ts'],
      daysAgo: 6,
    },
  ],
  [
    {
      category: 'hallucinated_api',
      text: 'Imported useFormState from a version of our form library we do not have',
      tool: 'cursor',
      repository: 0,
      paths: ['src/checkout/Form.tsx'],
      daysAgo: 44,
    },
    {
      category: 'hallucinated_api',
      text: 'Called analytics.trackPage(), which our analytics wrapper does not have',
      tool: 'cursor',
      repository: 0,
      paths: ['src/checkout/Summary.tsx'],
      daysAgo: 8,
    },
    {
      category: 'performance',
      text: 'Fetches the price list in a loop, once per cart item',
      tool: CLAUDE,
      repository: 0,
      paths: ['src/checkout/cart.ts'],
      daysAgo: 22,
    },
  ],
];

const HABIT_OF_TOOL = { 'claude-code': 'claude', cursor: 'cursor', copilot: 'copilot' } as const;

/**
 * What people reported about AI assistants ([AI feedback](docs/ai-feedback.md)), per team: in payments-like teams a
 * clear pattern (five reports by several people that AI-written changes in `services/payments/` come without tests,
 * more of them lately) and a few others; in the other teams a handful, one of them twice. Each names the pull request
 * it is about where the reporter had an AI-assisted one merged in that repository before, and is reported by a
 * teammate who uses that tool, in their working hours.
 */
export function aiFeedback(input: PracticeInput): BundleFeedback[] {
  const { rng, end, hoursOf } = input;
  const feedback: BundleFeedback[] = [];
  // Each person's AI-assisted pull requests merged, by repository, oldest merge first.
  const assisted = new Map<string, WorkItem[]>();
  for (const w of input.workItems) {
    const person = w.author ?? w.assignees?.[0];
    if (w.kind !== 'pull_request' || w.mergedAt === undefined || !input.aiHelped.has(w.id) || person === undefined) continue;
    const key = `${person} ${w.repository}`;
    const list = assisted.get(key);
    if (list) list.push(w);
    else assisted.set(key, [w]);
  }
  for (const list of assisted.values()) list.sort((a, b) => a.mergedAt!.localeCompare(b.mergedAt!));
  input.teams.forEach((team, t) => {
    let turn = 0;
    for (const template of FEEDBACK[t % FEEDBACK.length]!) {
      const repository = team.repositories[template.repository] ?? team.repositories[0];
      const [offset, hour] = [rng.next(), rng.next()];
      if (repository === undefined || team.members.length === 0) continue;
      // The next teammate (in turn) who mostly uses the tool, else the next one in turn.
      const users = team.members.filter((m) => input.habits.get(m)?.tool === HABIT_OF_TOOL[template.tool]);
      const pool = users.length >= 2 ? users : team.members;
      const person = pool[turn++ % pool.length]!;
      const hours = hoursOf(person);
      let day = end - Math.ceil(template.daysAgo + offset) * DAY;
      while (!isWeekday(day)) day -= DAY;
      const createdAt = momentOf(day + hours.start + hour * (hours.end - hours.start), hours);
      if (createdAt < input.from - 90 * DAY || createdAt >= end) continue;
      const pr = (assisted.get(`${person} ${repository}`) ?? []).filter((w) => Date.parse(w.mergedAt!) < createdAt).at(-1);
      feedback.push({
        person,
        category: template.category,
        text: template.text,
        tool: template.tool,
        repository,
        paths: template.paths,
        ...(pr ? { pullRequest: Number(pr.key.slice(pr.key.lastIndexOf('#') + 1)) } : {}),
        createdAt: iso(createdAt),
      });
    }
  });
  return feedback;
}
