import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Bundle, createTeamState, localDay } from '../src/index.js';
import { DAY_MS, NOW, tableRows } from './fixtures/retention-world.js';

// For any workspace of reports (some revised), webhook deliveries and signals spread over two years, `retention.run()`
// removes exactly the expired rows, and `restore()` of its manifest gives back exactly the rows it removed.

const people = ['ana', 'ben', 'cy'] as const;
const words = fc.constantFrom('ledger', 'refund', 'zebrafish', 'deploy', 'review', 'flaky tests', 'Ünïcödé ✓', 'a "quoted" word');
const text = fc.array(words, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(' '));
const daysBack = fc.integer({ min: 0, max: 730 });

const reportArb = fc.record({
  person: fc.constantFrom(...people),
  daysBack,
  text,
  blockers: fc.option(text, { nil: undefined }),
  revisions: fc.array(text, { maxLength: 2 }),
});
const deliveryArb = fc.record({
  daysBack: fc.integer({ min: 0, max: 90 }),
  status: fc.constantFrom('processed', 'ignored', 'failed', 'queued', 'retrying'),
  body: fc.option(fc.json(), { nil: null }),
  attempts: fc.nat(10),
});
const signalArb = fc.record({
  daysBack: fc.integer({ min: 0, max: 400 }),
  resolved: fc.boolean(),
  title: text,
});

describe('retention run + restore (property)', () => {
  it('gives back exactly the rows the run removed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'teamstate-retention-property-'));
    let runs = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(reportArb, { selector: (r) => `${r.person} ${r.daysBack}`, maxLength: 25 }),
          fc.array(deliveryArb, { maxLength: 12 }),
          fc.array(signalArb, { maxLength: 12 }),
          async (reports, deliveries, signals) => {
            runs++;
            const ts = await createTeamState({
              database: ':memory:',
              clock: () => new Date(NOW),
              retention: { archive: join(folder, `run-${runs}`) },
            });
            try {
              const base = reports.map((r, i) => ({
                id: `r${i}`,
                person: r.person,
                day: localDay(NOW - r.daysBack * DAY_MS),
                text: r.text,
                ...(r.blockers === undefined ? {} : { blockers: r.blockers }),
                createdAt: new Date(NOW - r.daysBack * DAY_MS).toISOString(),
              }));
              await ts.import({
                format: 'teamstate.bundle/v1',
                people: people.map((id) => ({ id, name: id })),
                reports: base,
              } as unknown as Bundle);
              // Each later text of a day keeps the one before as a revision.
              for (const [i, r] of reports.entries())
                for (const [k, later] of r.revisions.entries())
                  await ts.import({
                    format: 'teamstate.bundle/v1',
                    reports: [
                      {
                        ...base[i]!,
                        text: `${later} (${k + 1})`,
                        updatedAt: new Date(NOW - r.daysBack * DAY_MS + (k + 1) * 60_000).toISOString(),
                      },
                    ],
                  } as unknown as Bundle);
              for (const [i, d] of deliveries.entries())
                await ts.store.execute(
                  'INSERT INTO webhook_deliveries (workspace, provider, delivery_id, event, received_at, status, headers, body, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
                  [ts.workspace, 'github', `d${i}`, 'pull_request', NOW - d.daysBack * DAY_MS - i, d.status, '{}', d.body, d.attempts],
                );
              for (const [i, s] of signals.entries()) {
                const at = NOW - s.daysBack * DAY_MS;
                await ts.store.execute(
                  `INSERT INTO signals (workspace, fingerprint, kind, severity, subject_type, subject_id, title, evidence, status, first_seen_at, last_seen_at, resolved_at)
                   VALUES (?, ?, 'pr.stale', 'warning', 'work_item', ?, ?, '{}', ?, ?, ?, ?)`,
                  [ts.workspace, `f${i}`, `pr-${i}`, s.title, s.resolved ? 'resolved' : 'open', at - DAY_MS, at, s.resolved ? at : null],
                );
              }
              const before = await tableRows(ts);
              const result = await ts.retention.run();
              const after = await tableRows(ts);
              const removed = (table: keyof typeof before) => before[table].length - after[table].length;
              expect(result.counts).toEqual({
                reports: removed('reports'),
                reportRevisions: removed('reportRevisions'),
                webhookDeliveries: removed('webhookDeliveries'),
                resolvedSignals: removed('signals'),
              });
              // Only expired rows went: what is left is all within its period (or still in progress).
              expect(after.reports.every((r) => String(r.day) >= result.cutoffs.reports)).toBe(true);
              expect(
                after.signals.every((s) => s.status === 'open' || Number(s.resolved_at) >= Date.parse(result.cutoffs.resolvedSignals)),
              ).toBe(true);
              if (result.manifest) await ts.retention.restore(result.manifest);
              expect(await tableRows(ts)).toEqual(before);
              const search = await ts.store.execute("SELECT count(*) AS n FROM reports_fts WHERE reports_fts MATCH 'zebrafish'");
              const expected = before.reports.filter((r) => /zebrafish/.test(`${r.text} ${r.blockers ?? ''}`)).length;
              expect(search.rows[0]!.n).toBe(expected);
            } finally {
              await ts.close();
            }
          },
        ),
        { numRuns: 30 },
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
