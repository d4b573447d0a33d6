import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localKnowledge } from '../src/index.js';
import { knowledgeSourceContract } from '../src/testing/index.js';

// The local folders source against a real folder: edited, pruned and taken away between syncs.
const root = mkdtempSync(join(tmpdir(), 'teamstate-local-contract-'));
const docs = join(root, 'docs');

knowledgeSourceContract({
  name: 'localKnowledge',
  create: () => localKnowledge({ paths: ['./docs'], baseDir: root }),
  reset() {
    rmSync(docs, { recursive: true, force: true });
    mkdirSync(join(docs, 'runbooks'), { recursive: true });
    writeFileSync(join(docs, 'README.md'), '# Handbook\n\nHow the payments team works.\n');
    writeFileSync(join(docs, 'runbooks', 'rollback.md'), '# Rollback\n\n## With Argo CD\n\nRun `argocd app rollback payments-api`.\n');
    writeFileSync(join(docs, 'runbooks', 'on-call.md'), '# On-call\n\nThe rotation changes on Mondays.\n');
  },
  change: () => writeFileSync(join(docs, 'runbooks', 'rollback.md'), '# Rollback\n\n## With Helm\n\nRun `helm rollback payments-api`.\n'),
  remove: () => rmSync(join(docs, 'runbooks', 'on-call.md')),
  fail: () => rmSync(docs, { recursive: true, force: true }),
  teardown: () => rmSync(root, { recursive: true, force: true }),
});
