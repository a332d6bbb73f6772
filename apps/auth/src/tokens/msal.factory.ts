import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfidentialClientApplication, LogLevel, type Configuration, type ICachePlugin } from '@azure/msal-node';
import { APP_CONFIG } from '@ocb/config';
import type { AuthConfig } from '../config/auth.config';

type MsalSettings = Pick<
  AuthConfig,
  'AUTHORITY_HOST' | 'TENANT_ID' | 'CLIENT_ID' | 'CLIENT_SECRET' | 'DELEGATED_CLIENT_ID' | 'DELEGATED_CLIENT_SECRET' | 'GRAPH_BASE_URL' | 'AUTH_PUBLIC_URL' | 'DELEGATED_SCOPES' | 'GRAPH_TIMEOUT_MS'
>;

const trimSlash = (s: string): string => s.replace(/\/+$/, '');

/**
 * Builds the MSAL confidential clients from configuration: authority `${AUTHORITY_HOST}/${TENANT_ID}`,
 * `knownAuthorities` = the authority host (no instance discovery against Microsoft), PII logging off.
 *
 * The app client (client credentials) is one long-lived instance. Delegated clients are built per
 * operation around one user's cache partition; they share the authority metadata fetched once here.
 */
@Injectable()
export class MsalFactory {
  private readonly logger = new Logger('MSAL');
  readonly authority: string;
  readonly knownAuthorities: string[];
  /** `${GRAPH_BASE_URL origin}/.default`: the app-only scope. */
  readonly appScope: string;
  /** Delegated scopes asked at connect, e.g. `Calendars.ReadWrite offline_access`. */
  readonly delegatedScopes: string[];
  readonly redirectUri: string;
  private appClientInstance?: ConfidentialClientApplication;
  private metadata?: Promise<string>;

  constructor(@Inject(APP_CONFIG) private readonly config: MsalSettings) {
    this.authority = `${trimSlash(config.AUTHORITY_HOST)}/${config.TENANT_ID}`;
    this.knownAuthorities = [new URL(config.AUTHORITY_HOST).host];
    this.appScope = `${new URL(config.GRAPH_BASE_URL).origin}/.default`;
    this.delegatedScopes = config.DELEGATED_SCOPES.split(/[\s,]+/).filter(Boolean);
    this.redirectUri = `${trimSlash(config.AUTH_PUBLIC_URL)}/app/api/auth/serviceAction/callback`;
  }

  /** Scopes for silent calls: the delegated scopes without the OpenID ones MSAL adds itself. */
  get resourceScopes(): string[] {
    const oidc = new Set(['openid', 'profile', 'email', 'offline_access']);
    return this.delegatedScopes.filter((s) => !oidc.has(s.toLowerCase()));
  }

  appClient(): ConfidentialClientApplication {
    this.appClientInstance ??= new ConfidentialClientApplication(
      this.configuration(this.config.CLIENT_ID, this.config.CLIENT_SECRET),
    );
    return this.appClientInstance;
  }

  /** A delegated client over `cachePlugin` (one user's partition), or an in-memory cache. */
  async delegatedClient(cachePlugin?: ICachePlugin): Promise<ConfidentialClientApplication> {
    const authorityMetadata = await this.authorityMetadata();
    const config = this.configuration(
      this.config.DELEGATED_CLIENT_ID ?? this.config.CLIENT_ID,
      this.config.DELEGATED_CLIENT_SECRET ?? this.config.CLIENT_SECRET,
    );
    config.auth.authorityMetadata = authorityMetadata;
    if (cachePlugin) config.cache = { cachePlugin };
    return new ConfidentialClientApplication(config);
  }

  /** The authority's OpenID metadata (fetched once; a failure is retried on the next call). */
  authorityMetadata(): Promise<string> {
    if (!this.metadata) {
      const pending = this.fetchMetadata();
      this.metadata = pending;
      pending.catch(() => {
        if (this.metadata === pending) this.metadata = undefined;
      });
    }
    return this.metadata;
  }

  /** Readiness: the authority answers its OpenID metadata. */
  async checkAuthority(): Promise<void> {
    await this.fetchMetadata();
  }

  private async fetchMetadata(): Promise<string> {
    const url = `${this.authority}/v2.0/.well-known/openid-configuration`;
    const res = await fetch(url, { signal: AbortSignal.timeout(this.config.GRAPH_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`authority metadata: HTTP ${res.status} from ${url}`);
    const text = await res.text();
    const parsed = JSON.parse(text) as { token_endpoint?: unknown; authorization_endpoint?: unknown };
    if (typeof parsed.token_endpoint !== 'string' || typeof parsed.authorization_endpoint !== 'string') {
      throw new Error(`authority metadata from ${url} lacks token_endpoint/authorization_endpoint`);
    }
    return text;
  }

  private configuration(clientId: string, clientSecret: string): Configuration {
    return {
      auth: { clientId, clientSecret, authority: this.authority, knownAuthorities: this.knownAuthorities },
      system: {
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message, containsPii) => {
            if (containsPii) return;
            if (level === LogLevel.Error) this.logger.error(message);
            else if (level === LogLevel.Warning) this.logger.warn(message);
          },
        },
      },
    };
  }
}
