import { mkdirSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createTeamState, localKnowledge } from '@teamstate/core';
const CORPUS = '/work/wt/kn-vectors/packages/core/bench/knowledge-corpus';
function walk(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(folder, entry.name), `${prefix}${entry.name}/`) : entry.name.endsWith('.md') ? [`${prefix}${entry.name}`] : []);
}
// A small deterministic PRNG, so every run generates the same corpus.
let seed = 7;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Documents of about ten sections each, in the vocabulary of the labelled corpus plus code identifiers. */
function generateCorpus(folder: string, count: number) {
  const vocabulary = [
    ...new Set(
      readFileSync(join(CORPUS, 'runbooks/deploy-rollback.md'), 'utf8')
        .concat(...walk(CORPUS).map((path) => readFileSync(join(CORPUS, path), 'utf8')))
        .toLowerCase()
        .match(/[a-z]{3,}/g)!,
    ),
  ];
  const identifiers = [
    'retry_backoff_ms',
    'maxRetries',
    'payments.refunds.instant',
    'ledger_entries',
    'RATE_LIMIT_PER_MINUTE',
    'pgbouncer_pools',
  ];
  const sentence = () =>
    `${Array.from({ length: 8 + Math.floor(random() * 10) }, () => (random() < 0.03 ? `\`${pick(identifiers)}\`` : pick(vocabulary))).join(' ')}.`;
  for (let i = 0; i < count; i++) {
    const sections = Array.from({ length: 9 }, (_, s) => {
      const body = Array.from({ length: 4 + Math.floor(random() * 4) }, sentence).join(' ');
      const code = random() < 0.2 ? `\n\n\`\`\`bash\nkubectl -n payments rollout restart deployment service-${i}\n\`\`\`` : '';
      return `## ${pick(vocabulary)} ${pick(vocabulary)} ${s}\n\n${body}${code}\n`;
    });
    const dir = join(folder, `team-${i % 50}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `doc-${i}.md`),
      `# ${pick(vocabulary)} ${pick(vocabulary)} guide ${i}\n\n${sentence()}\n\n${sections.join('\n')}`,
    );
  }
}


rmSync('/tmp/kv50', { recursive: true, force: true });
generateCorpus('/tmp/kv50/docs', 5000);
const ts = await createTeamState({ database: '/tmp/kv50/k.db', knowledge: { sources: [localKnowledge({ paths: ['/tmp/kv50/docs'] })] } });
console.log(JSON.stringify((await ts.knowledge.sync()).sources[0]));
await ts.close();
