import type { PlatformClient } from '@ocb/service-clients';
import type { OidcService } from '../auth/oidc.service';
import type { WebConfig } from '../config/web.config';

export interface PageDeps {
  config: WebConfig;
  platform: PlatformClient;
  oidc: OidcService;
}
