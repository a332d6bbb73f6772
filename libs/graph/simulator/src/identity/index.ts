export {
  createIdentityPlatform,
  GRAPH_APP_ID,
  GRAPH_RESOURCE,
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  AUTHORIZATION_CODE_LIFETIME_MS,
  REFRESH_TOKEN_LIFETIME_MS,
  type IdentityPlatform,
  type IdentityPlatformDeps,
  type MintOptions,
} from './platform';
export { generateSigningKey, decodeJwt, type SigningKey, type Jwk } from './jwt';
export { aadErrorBody, aadTimestamp, type AadErrorBody } from './errors';
