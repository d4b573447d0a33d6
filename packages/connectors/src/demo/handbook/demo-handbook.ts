import type { KnowledgeSource } from '@teamstate/core';

/** One page of the demo handbook: its path (the uri) and markdown. */
interface HandbookPage {
  path: string;
  author: string;
  markdown: string;
}

const PAGES: readonly HandbookPage[] = [
  {
    path: 'handbook/runbooks/rollback-a-deploy.md',
    author: 'hiro-dubois',
    markdown: `---
title: Rolling back a production deploy
---

# Rolling back a production deploy

Use this when a deploy left production broken (the error rate went up, payments fail) and a fix forward would take
longer than fifteen minutes.

## Decide

Roll back when the 5xx rate on the "API overview" dashboard stays above 2% for five minutes after a deploy. Say so in
\`#incidents\` before you start.

## Roll back to the last good release

Argo CD undoes a bad release by redeploying the revision before it, in a minute or two (prod and staging alike). Do
not revert commits on \`main\` under pressure: the rollback is faster, and the revert can follow in a normal pull
request.

\`\`\`bash
argocd app history payments-api-production
argocd app rollback payments-api-production <REVISION>
\`\`\`

Auto-sync stays off after a rollback until the fix is merged, so the next merge does not ship the bad version again.

## Database migrations

A rollback leaves the database as it is: migrations stay applied. Ours are expand/contract, so the previous version
keeps working; never run a down migration in production without the database on-call.
`,
  },
  {
    path: 'handbook/runbooks/webhook-retries.md',
    author: 'ana-garcia',
    markdown: `# Webhook deliveries failing

Alert: \`WebhookFailureRateHigh\` fires when more than 5% of deliveries to merchants fail for ten minutes.

## Check the merchant endpoint

Most failures are one merchant's endpoint timing out. The \`webhook_deliveries\` table lists the failing endpoint
and its last status code. Contact the merchant through their account manager.

## Retry policy

Deliveries are retried with exponential backoff (\`retry_backoff_ms\`, default 200, doubling) for three days; after
that they are marked failed and can be replayed from the dashboard.

## Idempotency keys

Every delivery carries an \`Idempotency-Key\` header, so merchants can drop duplicates safely.
`,
  },
  {
    path: 'handbook/adr/0001-use-postgres.md',
    author: 'ben-tanaka',
    markdown: `# ADR 0001: Use PostgreSQL for the ledger

- Status: accepted

## Context

The ledger needs transactions across tables, strong consistency and tooling the team knows.

## Decision

We use PostgreSQL (managed, Multi-AZ) for every service that moves money. Schema changes are migrations in the
service repository, always expand then contract, run by the deploy pipeline.

## Consequences

PgBouncer runs in transaction mode in front of every database, so session-level advisory locks do not work through it.
`,
  },
  {
    path: 'handbook/adr/0002-feature-flags.md',
    author: 'olu-sato',
    markdown: `# ADR 0002: Trunk-based development with feature flags

- Status: accepted

## Context

Long-lived branches caused painful merges, and a broken feature could not be switched off without a deploy.

## Decision

Everyone merges to \`main\` daily; unfinished work ships dark behind a feature flag (\`team.feature.name\`, for example
\`payments.refunds.instant\`).

## Consequences

Every flag has an owner and an expiry date; flags older than 90 days appear in the weekly feature flag cleanup report.
`,
  },
  {
    path: 'handbook/onboarding.md',
    author: 'sam-lee',
    markdown: `# Onboarding: your first week

## Accounts

Ask in \`#it-help\` for GitHub (the \`acme\` organisation), read-only cloud access, Grafana and PagerDuty. Production
access needs your lead's approval.

## Your first pull request

Pick a \`good first issue\`; your buddy reviews it. Every pull request needs one approval from a code owner, two for
code that moves money.

## On-call

You join the on-call rotation after six weeks. PagerDuty pages the primary first and the secondary after 15 minutes.
`,
  },
];

const DAY = 86_400_000;

/** Options of {@link demoHandbook}. */
export interface DemoHandbookOptions {
  /** The clock the demo organisation is anchored on (`teamstate demo --now`); default the sync's. */
  clock?: () => Date;
}

/**
 * The demo workspace's handbook: two runbooks, two ADRs and an onboarding page, indexed by `teamstate demo` so
 * `search_knowledge` and `who_knows` answer on the demo. A {@link KnowledgeSource} of source `local`.
 *
 * @example
 * const ts = await createTeamState({ database: ':memory:', knowledge: { sources: [demoHandbook()] } })
 * await ts.knowledge.sync()
 */
export function demoHandbook(options: DemoHandbookOptions = {}): KnowledgeSource {
  return {
    specificationVersion: 'v1',
    id: 'demo-handbook',
    source: 'local',
    async sync(ctx) {
      // Edited a month before the day the demo is anchored on (a re-index keeps the first date: the text is unchanged).
      const now = (options.clock ?? ctx.now)().getTime();
      const updatedAt = now - (now % DAY) - 30 * DAY;
      for (const page of PAGES) await ctx.put({ uri: page.path, path: page.path, markdown: page.markdown, author: page.author, updatedAt });
    },
  };
}
