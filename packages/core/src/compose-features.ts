import type { BuiltinFeature } from './features/index.js';
import type { Approval } from './kernel/model/derived.js';
import { reading, readingRules } from './records/identity/viewer.js';
import type { Actions, Approvals } from './services/approvals/index.js';
import type { Feature, FeatureContext, FeatureNeeds } from './services/feature-kit/index.js';
import type { FeatureNamespaces, TeamState } from './team-state-facade.js';
import type { TeamStateOptions } from './team-state-options.js';

// The features composed into the facade from their definitions alone: each `api` builds `ts.<name>`, those that read
// people's words are built again for each reader (`ts.as`), and the hooks run in list order.

/** A built-in feature as the composition calls it: with the whole options and facade (which hold what each declares). */
type Composed = Feature<string, never, unknown, TeamStateOptions, TeamState>;

/** What every feature's context shares; `reading`, `readingOf` and `facade` are added per reader. */
export type SharedContext = Omit<FeatureContext<TeamStateOptions, TeamState>, 'reading' | 'readingOf' | 'facade'>;

/** Who reads: `undefined` for the database's owner, else a person or a credential that names nobody (`{}`). */
export type Who = { person?: string; scopes?: readonly string[] } | undefined;

/** True only when the facade has every part a feature declares it calls (`FeatureContext`'s `T`): a compile-time check. */
export type NeedsMet = TeamState extends FeatureNeeds<BuiltinFeature> ? true : false;
export const needsMet: NeedsMet = true;

/** The features of the list, typed for the composition: every check that they get what they declare is below. */
export function composable(features: readonly BuiltinFeature[]): readonly Composed[] {
  // The facade and the options are built from the features' own declarations (FeatureNamespaces, FeatureOptions), so
  // each feature's `O` is part of them, and `needsMet` checks each `T` at compile time.
  return features as readonly Feature[] as readonly Composed[];
}

/** Composes the features' apis for one reader, and the approvals and actions as that reader may see them. */
export function composeFeatures(features: readonly Composed[], shared: SharedContext) {
  const rules = readingRules(shared.policy.document);
  const readingOf = (who: Who) => reading(shared.store, shared.workspace, rules, who);
  const contextFor = (who: Who, facade: () => TeamState): FeatureContext<TeamStateOptions, TeamState> => ({
    ...shared,
    reading: readingOf(who),
    readingOf,
    facade,
  });
  const apisOf = (context: FeatureContext<TeamStateOptions, TeamState>, only: (feature: Composed) => boolean) =>
    Object.fromEntries(features.flatMap((feature) => (feature.api && only(feature) ? [[feature.name, feature.api(context)]] : [])));
  return {
    /** Every feature's api for the database's owner, built once. */
    owner(facade: () => TeamState) {
      const context = contextFor(undefined, facade);
      return { context, apis: apisOf(context, () => true) as FeatureNamespaces };
    },
    /** The apis that read people's data, for `who`, and the approvals and actions as `who` may see them. */
    reader(who: Who, facade: () => TeamState, owner: { approvals: Approvals; actions: Actions }) {
      const context = contextFor(who, facade);
      const view = async (approvals: Approval[]) => {
        let seen = approvals;
        for (const feature of features) if (feature.hooks?.approvalsFor) seen = await feature.hooks.approvalsFor(context, seen);
        return seen;
      };
      const one = async (approval: Approval) => (await view([approval]))[0]!;
      const { approvals, actions } = owner;
      return {
        ...(apisOf(context, (feature) => feature.perReader === true) as Partial<FeatureNamespaces>),
        approvals: {
          ...approvals,
          get: async (id) => {
            const approval = await approvals.get(id);
            return approval && one(approval);
          },
          list: async (query) => view(await approvals.list(query)),
          wait: async (id, options) => one(await approvals.wait(id, options)),
        } satisfies Approvals,
        actions: { ...actions, propose: async (proposal) => one(await actions.propose(proposal)) } satisfies Actions,
      };
    },
  };
}
