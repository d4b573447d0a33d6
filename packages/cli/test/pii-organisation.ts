// A generated organisation whose free text (work item titles and bodies, daily reports and blockers, AI feedback,
// incident titles and notes, risks, knowledge documents) carries planted personal data and tokens, from a seed: the
// property test of `limits.pii_redaction` (pii-redaction.test.ts) checks that none of it reaches a reader under strict.

/** A small seeded generator (mulberry32): the same seed plants the same values. */
export function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)]!;
  const digits = (n: number) => Array.from({ length: n }, () => String(int(0, 9))).join('');
  const from = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[int(0, alphabet.length - 1)]).join('');
  return { next, int, pick, digits, from };
}
type Random = ReturnType<typeof seeded>;

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';

function luhnCheck(partial: string): string {
  for (let d = 0; d < 10; d++) {
    const candidate = `${partial}${d}`;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let v = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
      sum += v;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable: one check digit always fits');
}

function ibanOf(country: string, bban: string): string {
  const numeric = [...`${bban}${country}00`].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return `${country}${String(98 - remainder).padStart(2, '0')}${bban}`;
}

/** The kinds of value planted, each with a generator of realistic spellings. */
export const PLANTS = {
  email: (r: Random) =>
    `${r.pick(['ana', 'ben.o', 'j.smith', 'ops+pager'])}${r.digits(3)}@${r.pick(['acme-pay.example', 'mail.acme.co.uk', 'example.org'])}`,
  phone: (r: Random) => {
    const area = `${r.int(2, 9)}${r.digits(2)}`;
    const line = `${r.int(2, 9)}${r.digits(2)}`;
    const last = r.digits(4);
    return r.pick([
      `+1 (${area}) ${line}-${last}`,
      `+1-${area}-${line}-${last}`,
      `(${area}) ${line}-${last}`,
      `${area}.${line}.${last}`,
      `+44 20 ${r.int(3, 9)}${r.digits(3)} ${r.digits(4)}`,
      `+49 30 ${r.int(1, 9)}${r.digits(7)}`,
      `+33 ${r.int(1, 9)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}`,
      `020 ${r.int(3, 9)}${r.digits(3)} ${r.digits(4)}`,
    ]);
  },
  card: (r: Random) => {
    const card = luhnCheck(`${r.pick(['4', '51', '55', '22'])}${r.digits(14)}`.slice(0, 15));
    return r.pick([card, card.replace(/(\d{4})(?=\d)/g, '$1 '), card.replace(/(\d{4})(?=\d)/g, '$1-')]);
  },
  iban: (r: Random) => {
    const iban = r.pick([
      ibanOf('DE', r.digits(18)),
      ibanOf('FR', `${r.digits(10)}${r.from(UPPER + DIGITS, 11)}${r.digits(2)}`),
      ibanOf('NL', `ABNA${r.digits(10)}`),
    ]);
    return r.pick([iban, iban.replace(/(.{4})(?=.)/g, '$1 ')]);
  },
  token: (r: Random) => {
    const random = (n: number) => {
      // Every class present, in random order: a generated secret, not a word.
      const chars = [...r.from(LOWER, n / 2 - 2), ...r.from(UPPER, n / 2 - 2), ...r.from(DIGITS, 4)];
      for (let i = chars.length - 1; i > 0; i--) {
        const j = r.int(0, i);
        [chars[i], chars[j]] = [chars[j]!, chars[i]!];
      }
      return chars.join('');
    };
    return r.pick([`ghp_${random(36)}`, `xoxb-${r.digits(11)}-${r.digits(12)}-${random(24)}`, `sk-proj-${random(40)}`, random(40)]);
  },
} as const;
export type PlantKind = keyof typeof PLANTS;

/** What the generator planted: each value and its kind. */
export interface Planted {
  value: string;
  kind: PlantKind;
}

/** A generated organisation (a bundle and knowledge documents) and the values planted in its free text. */
export interface PiiOrganisation {
  bundle: Record<string, unknown>;
  documents: { path: string; markdown: string }[];
  planted: Planted[];
}

/**
 * An organisation of two teams whose free text carries one planted value of each kind in every field, around
 * ordinary text a digest shows (dates, versions, PR numbers, keys) that must stay as it is.
 */
export function piiOrganisation(seed: number, now: Date): PiiOrganisation {
  const r = seeded(seed);
  const planted: Planted[] = [];
  const kinds = Object.keys(PLANTS) as PlantKind[];
  const plant = (kind?: PlantKind) => {
    const k = kind ?? r.pick(kinds);
    let value = PLANTS[k](r);
    while (planted.some((p) => p.value.includes(value) || value.includes(p.value))) value = PLANTS[k](r);
    planted.push({ value, kind: k });
    return value;
  };
  // Every kind at least once in each field family, so each reaches every surface that shows that family.
  const text = (lead: string) => `${lead}: ${kinds.map((k) => `${r.pick(['ask', 'see', 'use', 'call'])} ${plant(k)}`).join(', ')}`;
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3_600_000).toISOString();
  const day = (daysAgo: number) => at(daysAgo * 24).slice(0, 10);
  const prs = [1, 2, 3, 4].map((n) => ({
    id: `pr-${n}`,
    source: 'github',
    kind: 'pull_request',
    key: `acme/api#${100 + n}`,
    title: text(`Refund retries v1.${n}.0 (PAY-13${n})`),
    body: text(`Fixes PAY-13${n} from ${day(n)}`),
    state: n <= 2 ? 'open' : 'merged',
    repository: 'acme/api',
    author: n % 2 ? 'ben' : 'ana',
    createdAt: at(30 + n),
    readyAt: at(29 + n),
    ...(n > 2 ? { mergedAt: at(3 + n) } : {}),
    paths: ['src/refunds.ts'],
    additions: 10 * n,
    deletions: n,
    ...(n === 3 ? { reviews: [{ reviewer: 'ana', state: 'approved', submittedAt: at(10) }] } : {}),
  }));
  const issues = [1, 2, 3].map((n) => ({
    id: `pay-${n}`,
    source: 'jira',
    kind: 'story',
    key: `PAY-${n}`,
    title: text(`Ledger export ${day(n)}`),
    body: text('Steps to reproduce'),
    state: n === 1 ? 'Blocked' : 'In Progress',
    team: 'pay',
    assignees: [n % 2 ? 'ben' : 'ana'],
    createdAt: at(24 * 6 + n),
    storyPoints: n,
    sprint: 'pay-s1',
    flagged: n === 1,
    statusCategory: 'in_progress',
  }));
  const bundle = {
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'pay', name: 'Payments', leads: ['lena'] },
      { id: 'growth', name: 'Growth' },
    ],
    people: [
      { id: 'ana', name: 'Ana', teams: ['pay'], joinedAt: at(24 * 10) },
      { id: 'ben', name: 'Ben', teams: ['pay'] },
      { id: 'lena', name: 'Lena', teams: ['pay'] },
      { id: 'gus', name: 'Gus', teams: ['growth'] },
    ],
    repositories: [{ id: 'acme/api', team: 'pay' }],
    workItems: [...prs, ...issues],
    sprints: [
      {
        id: 'pay-s1',
        name: 'Payments 1',
        team: 'pay',
        state: 'active',
        startAt: at(24 * 7),
        endAt: at(-24 * 7),
        committedItems: ['pay-1', 'pay-2'],
      },
    ],
    incidents: [
      {
        id: 'inc-1',
        title: text('Refunds down'),
        severity: 'sev2',
        createdAt: at(20),
        repository: 'acme/api',
        team: 'pay',
        status: 'acknowledged',
        timeline: [
          { at: at(20), kind: 'triggered', text: text('Alert fired') },
          { at: at(19), kind: 'note', text: text('Customer wrote in') },
        ],
      },
    ],
    reports: ['ana', 'ben'].flatMap((person, i) =>
      [1, 0].map((daysAgo) => ({ person, day: day(daysAgo), text: text(`Report ${i}`), blockers: text('Blocked on') })),
    ),
    aiFeedback: [0, 1].map((i) => ({
      person: i ? 'ben' : 'ana',
      category: 'hallucinated_api',
      text: text('The assistant suggested'),
      repository: 'acme/api',
      createdAt: at(5 + i),
    })),
    risks: [
      {
        id: 'risk-1',
        team: 'pay',
        title: text('Acquirer sandbox'),
        severity: 'high',
        owner: 'ben',
        mitigation: text('Fallback'),
        createdAt: at(48),
      },
    ],
  };
  const documents = [
    { path: 'payments/refunds.md', markdown: `# Refunds runbook\n\n## Refunds escalation\n\n${text('Refunds escalation contacts')}\n` },
  ];
  return { bundle, documents, planted };
}
