import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleInput } from '../bundle.js';
import type { Connector } from '../spec/connector.js';
import type { SignalDetector } from '../spec/signal-detector.js';
import { createTeamState, type TeamState } from '../team-state.js';

/** Options of {@link detectorContract}. */
export interface DetectorContractOptions {
  detector: SignalDetector;
  /** Data in which the detector finds something: a bundle to import, or connectors to sync. */
  bundle?: BundleInput;
  connectors?: Connector[];
  /**
   * Where the suite's store is (default `:memory:`), called once per suite: a fresh copy of a database file that
   * already holds the data (and no signals yet) lets many suites share one sync of it (connectors and bundle, if
   * given, still run).
   */
  database?: () => string | Promise<string>;
  /** The instant the signals are refreshed at. */
  now: Date;
  /**
   * Changes the data so that what the detector found no longer holds (e.g. imports the items resolved); the
   * suite then checks those signals are resolved. Without it, that check is left out.
   */
  resolve?: (ts: TeamState) => Promise<void>;
}

/**
 * The conformance suite of a signal detector, built-in or custom, through `ts.signals`: it finds something in the
 * data; fingerprints are stable across refreshes and nothing is duplicated; with `resolve`, what no longer holds is
 * resolved. A detector that declares `incremental`: a refresh with nothing changed does not run it again, and an
 * incremental refresh (after `resolve`'s changes too) stores exactly what a full refresh stores.
 *
 * @example detectorContract({ detector: longIncidents, bundle, now: new Date('2026-03-18T10:00:00Z') })
 */
export function detectorContract(options: DetectorContractOptions): void {
  const { detector } = options;
  describe(`detector contract: ${detector.kind}`, () => {
    let ts: TeamState;
    beforeAll(async () => {
      const database = (await options.database?.()) ?? ':memory:';
      ts = await createTeamState({ database, signals: [detector], connectors: options.connectors, clock: () => options.now });
      // Connectors first, then the bundle (which may refer to what they synced).
      if (options.connectors) expect((await ts.sync()).ok).toBe(true);
      if (options.bundle) await ts.import(options.bundle);
    });
    afterAll(() => ts.close());

    it('is a v1 detector with a dotted kind, a title and a definition', () => {
      expect(detector.specificationVersion ?? 'v1').toBe('v1');
      expect(detector.kind).toMatch(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/);
      expect(detector.title.length).toBeGreaterThan(0);
      expect(detector.description.length).toBeGreaterThan(10);
    });

    it('finds something in the data, with stable fingerprints and no duplicates across refreshes', async () => {
      await ts.signals.refresh();
      const first = (await ts.signals.list({ kind: detector.kind, limit: 500 })).map((s) => s.fingerprint).sort();
      expect(first.length).toBeGreaterThan(0);
      expect(new Set(first).size).toBe(first.length);
      const again = await ts.signals.refresh();
      expect(again.opened).toBe(0);
      expect((await ts.signals.list({ kind: detector.kind, limit: 500 })).map((s) => s.fingerprint).sort()).toEqual(first);
    });

    // Every stored signal of the kind, open and resolved, as a refresh left it.
    const stored = async () =>
      (
        await ts.store.execute('SELECT * FROM signals WHERE workspace = ? AND kind = ? ORDER BY fingerprint', [ts.workspace, detector.kind])
      ).rows.map((row) => ({ ...row }));

    if (detector.incremental) {
      it('declares its inputs (tables it reads, data- or time-driven), and an incremental refresh stores what a full one does', async () => {
        await ts.signals.refresh();
        const incremental = await stored();
        // Nothing changed, same now: not run again.
        expect((await ts.signals.refresh()).skipped).toContain(detector.kind);
        expect(await stored()).toEqual(incremental);
        expect(await ts.signals.refresh({ full: true })).toMatchObject({ opened: 0, resolved: 0, skipped: [] });
        expect(await stored()).toEqual(incremental);
      });
    }

    const resolve = options.resolve;
    if (resolve) {
      it('resolves what no longer holds', async () => {
        await ts.signals.refresh();
        const open = await ts.signals.list({ kind: detector.kind, limit: 500 });
        await resolve(ts);
        await ts.signals.refresh();
        const resolved = await ts.signals.list({ kind: detector.kind, status: 'resolved', limit: 500 });
        expect(resolved.map((s) => s.fingerprint).sort()).toEqual(open.map((s) => s.fingerprint).sort());
        // What `resolve` changed is among the inputs an incremental detector declared: a full refresh changes nothing.
        const incremental = await stored();
        expect(await ts.signals.refresh({ full: true })).toMatchObject({ opened: 0, resolved: 0 });
        expect(await stored()).toEqual(incremental);
      });
    }
  });
}
