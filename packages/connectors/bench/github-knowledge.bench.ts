import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { githubKnowledge } from '@teamstate/connectors/github';
import { createTeamState } from '@teamstate/core';
import { FakeGitHubKnowledge, serveFakeGitHubKnowledge } from '../test/github/fake-github-knowledge.js';

// `pnpm bench knowledge` (issue 19): the GitHub knowledge source against a counting fake GitHub served on
// 127.0.0.1 — a first index of REPOSITORIES repositories, then a re-index of the unchanged corpus, which must cost
// one conditional request per repository (each a 304, not counted against the rate limit) and write nothing. The
// raw baseline, measured in the same run, is the same conditional tree requests sent with plain fetch.

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

const REPOSITORIES = Number(process.env.BENCH_GITHUB_REPOSITORIES ?? 20);
const DOCUMENTS_PER_REPOSITORY = 40;

/** Real-looking docs: a README, runbooks and ADRs per repository, plus code that is not indexed. */
function repositoryFiles(r: number): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  files.set('README.md', Buffer.from(`# Service ${r}\n\nWhat service ${r} does and who runs it.\n`));
  files.set('.github/CODEOWNERS', Buffer.from(`* @acme/team-${r % 5}\n/docs/runbooks/ @oncall-${r}\n`));
  for (let d = 1; d < DOCUMENTS_PER_REPOSITORY; d++) {
    const folder = d % 3 === 0 ? 'docs/adr' : 'docs/runbooks';
    files.set(
      `${folder}/doc-${d}.md`,
      Buffer.from(
        `# Document ${d} of service ${r}\n\n## Steps\n\nRestart \`worker_${d}\` with \`kubectl rollout restart\`, then check the queue depth.\n`,
      ),
    );
    files.set(`src/module-${d}.ts`, Buffer.from(`export const module${d} = ${d};\n`));
  }
  return files;
}

export async function run(report: BenchReport): Promise<void> {
  const fake = new FakeGitHubKnowledge();
  const repositories = Array.from({ length: REPOSITORIES }, (_, r) => `acme/service-${r}`);
  for (const [r, repository] of repositories.entries()) fake.repository(repository, repositoryFiles(r));
  const server = await serveFakeGitHubKnowledge(() => fake);
  const folder = mkdtempSync(join(tmpdir(), 'teamstate-bench-github-knowledge-'));
  try {
    report.section(`knowledge: GitHub, ${REPOSITORIES} repositories of ${DOCUMENTS_PER_REPOSITORY} documents (counting fake)`);
    const source = githubKnowledge({ token: 'ghp_bench', baseUrl: server.url, repositories });
    const ts = await createTeamState({ database: join(folder, 'teamstate.db'), knowledge: { sources: [source] } });
    let started = performance.now();
    const first = await ts.knowledge.sync();
    const firstMs = performance.now() - started;
    if (!first.ok) throw new Error(JSON.stringify(first));
    report.figure('first index', firstMs, 'ms', `${first.sources[0]!.added} documents, ${fake.requests.length} requests`);

    fake.requests.length = 0;
    started = performance.now();
    const again = await ts.knowledge.sync();
    const againMs = performance.now() - started;
    const requests = fake.requests.length;
    report.figure('re-index requests per repository', requests / REPOSITORIES, 'requests', 'target 1');
    report.figure(
      're-index requests counted against the rate limit',
      fake.counted,
      'requests',
      `${fake.requests.filter((r) => r.status === 304).length} answered 304`,
    );
    report.figure(
      're-index of the unchanged corpus',
      againMs,
      'ms',
      `${again.sources[0]!.unchanged} unchanged, ${again.sources[0]!.chunks} chunks written`,
    );
    await ts.close();

    // Raw baseline: the same conditional tree requests with plain fetch, no client, no index.
    const etags = new Map<string, string>();
    for (const repository of repositories) {
      const response = await fetch(`${server.url}/api/v3/repos/${repository}/git/trees/HEAD?recursive=1`);
      etags.set(repository, response.headers.get('etag') ?? '');
      await response.arrayBuffer();
    }
    started = performance.now();
    for (const repository of repositories) {
      const response = await fetch(`${server.url}/api/v3/repos/${repository}/git/trees/HEAD?recursive=1`, {
        headers: { 'if-none-match': etags.get(repository)! },
      });
      await response.arrayBuffer();
    }
    const rawMs = performance.now() - started;
    report.figure('raw conditional tree requests (plain fetch)', rawMs, 'ms', `re-index / raw ${(againMs / rawMs).toFixed(2)}×`);
  } finally {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
