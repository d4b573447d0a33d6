// The dependencies feature's public face: exactly the names @teamstate/core exports from it.

export { type ChainEntry, type ChainItem, chainOf, type Dependencies } from './dependency-chain.js';
export type { DependenciesApi } from './feature.js';
export { type WorkItemLink, workItemLinkSchema } from './link-model.js';
