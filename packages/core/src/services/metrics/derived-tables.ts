import type { Store } from '../../kernel/store/open-store.js';
import { createStoreReader, type StoreReader } from '../../kernel/store/store-reader.js';
import { ensureDeploymentMapping } from '../../records/store/deployment-mapping.js';
import type { ResolvedMetricSettings } from '../../spec/metric-calculator.js';

/**
 * A read-only reader over `read` for one computation. The first statement that reads the derived delivery rows
 * (PR → deploying deployment, rework, incident → deployment) makes them current (a rebuild only after a write to their
 * inputs); the others pay nothing for it.
 */
export function computationReader(
  store: Store,
  workspace: string,
  settings: ResolvedMetricSettings,
  read: Store['readAside'],
): StoreReader {
  let mapped: Promise<unknown> | undefined;
  return createStoreReader(
    {
      execute: async (text, args) => {
        if (text.includes('pull_request_deployments') || text.includes('deployment_rework') || text.includes('incident_deployments')) {
          mapped ??= ensureDeploymentMapping(store, workspace, settings);
          await mapped;
        }
        return read(text, args);
      },
    },
    workspace,
  );
}
