// The tokens feature's door: the facade's `ts.tokens` and its definition.
export { tokensFeature } from './feature.js';
export { createTokensApi, type Tokens } from './tokens-api.js';
