// The tokens feature's public face: exactly the names @teamstate/core exports from it.
export type { AuthenticatedToken, CreatedToken, TokenInfo, TokenScope, Tokens } from './tokens-api.js';
