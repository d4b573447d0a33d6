import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The scale corpus of `pnpm bench knowledge`: generated markdown that reads, to a search index, like a company's
// technical docs. Word frequencies follow Zipf's law (a few words everywhere, tens of thousands rare), English
// function words make up about a third of the text, each document keeps coming back to its own service, identifiers
// and names (words are bursty), and documents take the shapes of runbooks, ADRs, READMEs and postmortems. Seeded:
// every run writes the same files.

/** A small deterministic PRNG (mulberry32, exact in 32-bit integer arithmetic), so every run writes the same corpus. */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** English function words, most frequent first (sampled by their own Zipf curve). */
const FUNCTION_WORDS = (
  'the to and of a in is for that it on with be this as are if you we by or not from can when at an should will ' +
  'then have has do which but all so there any only into was its also more each after before than these new other ' +
  'one no out how what where our they use until about up may must both every been while such them their those'
).split(' ');

/** Technical roots the generated terms are built from (joined with morphemes and with each other). */
const ROOTS = (
  'cache queue shard replica lease token quota ledger refund payout invoice tenant cluster node pod mesh proxy route ' +
  'gateway broker stream topic offset batch cron job worker scheduler webhook secret vault cert key policy role scope ' +
  'audit metric trace span log alert pager budget burn latency throughput backlog retry backoff timeout circuit ' +
  'breaker fallback canary rollout flag config schema index table column migration snapshot backup restore region ' +
  'zone failover quorum raft leader follower commit merge branch build pipeline artifact image registry helm chart ' +
  'terraform module bucket blob object lambda function container volume disk inode socket thread heap pool buffer ' +
  'codec parser lexer compiler linter formatter bundle asset render hydrate session cookie oauth saml ledger account ' +
  'balance settlement dispute chargeback fraud risk score model feature embedding vector search ranker crawler ' +
  'ingest export import sync diff patch delta checksum hash digest nonce cipher signer verifier notary'
).split(/\s+/);

const MORPHEMES = {
  prefixes: ['', '', '', 're', 'pre', 'auto', 'multi', 'sub', 'un', 'de', 'over', 'inter', 'micro', 'geo', 'hyper', 'co'],
  suffixes: ['', '', 's', 'er', 'ing', 'ed', 'able', 'ment', 'ness', 'ize', 'ization', 'ful', 'less', 'ly', 'ist', 'ery'],
};

const SYLLABLES = (
  'ka ro mi zen tal vor qui bex lan dor pex sil tor nav cor mux fen gal hap jin kel lum mor nix oda pri rus sab tek ' +
  'ulo vek wyn xan yor zel bri cru dax eno fyr gor hul ist jor kyr lio mab nor ost pyl qua ryn sto tru usk vil wex'
).split(' ');

/**
 * The corpus vocabulary, most frequent first: the labelled handbook's own words spread over the first few thousand
 * ranks (the words a company's docs share), then generated terms (derived technical words, compounds, product and
 * code names) down a long tail.
 */
function buildVocabulary(handbookWords: readonly string[], size: number, random: () => number): string[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const generated = new Set<string>();
  const handbook = new Set(handbookWords);
  while (generated.size < size - handbook.size) {
    const kind = random();
    let term: string;
    if (kind < 0.35) term = `${pick(MORPHEMES.prefixes)}${pick(ROOTS)}${pick(MORPHEMES.suffixes)}`;
    else if (kind < 0.55) term = `${pick(ROOTS)}${pick(ROOTS)}`;
    else if (kind < 0.85)
      term = Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(SYLLABLES)).join('') + pick(['', '', 'io', 'ly', 'db', 'x']);
    else term = `${pick(SYLLABLES)}${pick(ROOTS)}`;
    if (!handbook.has(term)) generated.add(term);
  }
  const tail = [...generated];
  const words = [...handbook].sort();
  // Fisher–Yates, seeded, on both lists; the handbook's words then take random ranks among the first 8,000.
  for (const list of [tail, words])
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
  const head = tail.splice(0, Math.max(0, 8_000 - words.length));
  for (const word of words) head.splice(Math.floor(random() * (head.length + 1)), 0, word);
  return [...head, ...tail];
}

/** Draws ranks 0…n-1 with probability ∝ 1 / (rank + 2.7)^exponent (Zipf–Mandelbrot). */
function zipf(n: number, exponent: number, random: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) cumulative[r] = total += 1 / (r + 2.7) ** exponent;
  return () => {
    const target = random() * total;
    let [lo, hi] = [0, n - 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** The shapes documents take: their kind, folder and section headings. */
const SHAPES = [
  {
    kind: 'runbook',
    sections: ['Symptoms', 'Impact', 'Diagnosis', 'Mitigation', 'Rollback', 'Escalation', 'Dashboards', 'Related alerts'],
  },
  { kind: 'adr', sections: ['Status', 'Context', 'Decision drivers', 'Options considered', 'Decision', 'Consequences', 'Follow-ups'] },
  { kind: 'readme', sections: ['Overview', 'Installation', 'Configuration', 'Usage', 'API', 'Local development', 'Testing', 'Deployment'] },
  { kind: 'postmortem', sections: ['Summary', 'Timeline', 'Root cause', 'Detection', 'Resolution', 'What went well', 'Action items'] },
  { kind: 'guide', sections: ['Before you start', 'Step by step', 'Troubleshooting', 'FAQ', 'Ownership', 'See also'] },
] as const;

/** What the generator reports about the corpus it wrote. */
export interface ScaleCorpus {
  /** Distinct words the vocabulary holds (before stemming). */
  vocabulary: number;
  /** Words written, over all documents. */
  words: number;
}

/**
 * Writes `count` markdown documents (about ten passages each) under `folder`, in the vocabulary of the labelled
 * handbook (`handbookWords`) plus a generated long tail: {@link ScaleCorpus} says how big.
 */
export function generateScaleCorpus(folder: string, count: number, handbookWords: readonly string[], seed = 7): ScaleCorpus {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const vocabulary = buildVocabulary(handbookWords, 40_000, random);
  const contentRank = zipf(vocabulary.length, 1.07, random);
  const functionRank = zipf(FUNCTION_WORDS.length, 1, random);
  const content = () => vocabulary[contentRank()]!;
  const services = Array.from({ length: 400 }, () => `${content()}-${pick(['api', 'worker', 'gateway', 'sync', 'svc', 'consumer'])}`);
  let words = 0;
  for (let i = 0; i < count; i++) {
    const shape = SHAPES[i % SHAPES.length]!;
    // Bursty words: each document keeps coming back to its own service and a handful of its own terms.
    const service = pick(services);
    const own = Array.from({ length: 12 }, content);
    const identifiers = Array.from({ length: 4 }, () => {
      const [a, b] = [content(), content()];
      return pick([`${a}_${b}`, `${a}${b[0]!.toUpperCase()}${b.slice(1)}`, `${service}.${a}`, `${a.toUpperCase()}_${b.toUpperCase()}`]);
    });
    const word = () => {
      const roll = random();
      if (roll < 0.36) return FUNCTION_WORDS[functionRank()]!;
      if (roll < 0.46) return pick(own);
      if (roll < 0.48) return `\`${pick(identifiers)}\``;
      if (roll < 0.5) return service;
      return content();
    };
    const sentence = () => {
      const list = Array.from({ length: 7 + Math.floor(random() * 12) }, word);
      words += list.length;
      return `${list.join(' ')}.`;
    };
    const paragraph = () => Array.from({ length: 3 + Math.floor(random() * 4) }, sentence).join(' ');
    const body = (section: string) => {
      if (section === 'Timeline')
        return Array.from(
          { length: 5 },
          (_, k) => `- ${String(9 + k).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')} UTC ${sentence()}`,
        ).join('\n');
      if (section === 'Configuration')
        return `${paragraph()}\n\n| key | default | meaning |\n| --- | --- | --- |\n${identifiers.map((id) => `| \`${id}\` | ${Math.floor(random() * 1000)} | ${sentence()} |`).join('\n')}`;
      if (/Mitigation|Rollback|Step by step|Installation/.test(section))
        return `${Array.from({ length: 4 }, (_, k) => `${k + 1}. ${sentence()}`).join('\n')}\n\n\`\`\`bash\nkubectl -n ${service.split('-')[0]} rollout restart deployment ${service}\n\`\`\``;
      return paragraph();
    };
    const sections = shape.sections.map((section) => {
      const sub = random() < 0.3 ? `\n\n### ${content()} ${content()}\n\n${paragraph()}` : '';
      return `## ${section}\n\n${body(section)}${sub}\n`;
    });
    const title = `${service} ${shape.kind === 'adr' ? `ADR ${i}: ${content()} ${content()}` : `${shape.kind}: ${content()} ${content()}`}`;
    const dir = join(folder, `team-${i % 50}`, shape.kind);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `doc-${i}.md`), `# ${title}\n\n${sentence()}\n\n${sections.join('\n')}`);
  }
  return { vocabulary: vocabulary.length, words };
}
