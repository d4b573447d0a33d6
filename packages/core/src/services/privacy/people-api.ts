import type { Store } from '../../kernel/store/open-store.js';
import type { BundleDocument, BundleSection, FeatureDefinition, ListsOf } from '../../records/feature.js';
import type { Readers } from '../../records/readers.js';
import { type ErasureResult, erasePerson } from './erase-person.js';
import { exportPerson } from './export-person.js';
import { createOptOuts, type OptOuts } from './opt-outs.js';

/**
 * `ts.people`: the readers, plus people's data (docs/daily-reports.md): export, erase and opt-outs. `S`: the bundle
 * lists of the features an export holds.
 */
export type People<S extends BundleSection = never> = Readers['people'] &
  OptOuts & {
    /**
     * Everything about one person as a `teamstate.bundle/v1` document (`teamstate people export`).
     * @example const bundle = await ts.people.export('ana')
     */
    export(person: string): Promise<BundleDocument<S>>;
    /**
     * Erases a person: reports, revisions and tokens removed, their activity kept under a pseudonym, remembered so a
     * sync or import does not bring them back; audited as `person.erased` with `by` (default `api`).
     * @example const { pseudonym } = await ts.people.erase('ana', { by: 'dpo@acme.dev' })
     */
    erase(person: string, options?: { by?: string }): Promise<ErasureResult>;
  };

/** Builds `ts.people` over the readers; `clock` is the write path's (real) clock. */
export function createPeopleApi<F extends FeatureDefinition>(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  readers: Readers['people'];
  features: readonly F[];
  /** The retention archive folder: an erasure lists the archives that still hold the person. */
  archive: string;
}): People<ListsOf<F>> {
  const { store, workspace, clock, features, archive } = deps;
  return {
    ...deps.readers,
    ...createOptOuts({ store, workspace, clock }),
    export: (person) => exportPerson(store, workspace, person, features),
    erase: (person, options) => erasePerson({ store, workspace, clock, features, archive }, person, options),
  };
}
