// The oauth feature's public face: exactly the names @teamstate/core exports from it (parseScopes as parseOAuthScopes).
export {
  type AuthorizationRequest,
  type ConsentDecision,
  type IssuedTokens,
  OAUTH_SCOPES,
  type OAuth,
  type OAuthCaller,
  type OAuthClient,
  type OAuthConsentInfo,
  type OAuthErrorCode,
  type OAuthGrantInfo,
  OAuthRequestError,
  type OAuthScope,
  parseScopes as parseOAuthScopes,
} from './oauth-api.js';
