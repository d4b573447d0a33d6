// The oauth feature's door: the facade's `ts.oauth` and its definition.
export { oauthFeature } from './feature.js';
export {
  type AuthorizationRequest,
  createOAuthApi,
  type IssuedTokens,
  isOAuthAccessToken,
  OAUTH_LIFETIMES,
  OAUTH_LIMITS,
  OAUTH_SCOPES,
  type OAuth,
  type OAuthCaller,
  type OAuthClient,
  type OAuthErrorCode,
  type OAuthGrantInfo,
  OAuthRequestError,
  type OAuthScope,
  parseScopes,
} from './oauth-api.js';
