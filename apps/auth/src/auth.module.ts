import { Global, Module } from '@nestjs/common';
import { MetricsModule } from '@ocb/http';
import { ConnectController } from './connect/connect.controller';
import { ConnectService } from './connect/connect.service';
import { ConnectStateRepository } from './connect/connect-state.repository';
import { ConnectionController } from './connect/connection.controller';
import { DirectoryController } from './directory/directory.controller';
import { UserDirectory } from './directory/user-directory.service';
import { UserResolver } from './directory/user-resolver.service';
import { InternalController } from './internal/internal.controller';
import { TokenCacheRepository } from './store/token-cache.repository';
import { TokenCrypto } from './store/token-crypto';
import { TokenStore } from './store/token-store.service';
import { AppTokenService } from './tokens/app-token.service';
import { DelegatedTokenService } from './tokens/delegated-token.service';
import { MsalFactory } from './tokens/msal.factory';

/** The auth service's features; global so the health module can probe the authority. */
@Global()
@Module({
  imports: [MetricsModule],
  controllers: [ConnectController, ConnectionController, DirectoryController, InternalController],
  providers: [
    MsalFactory,
    AppTokenService,
    DelegatedTokenService,
    UserDirectory,
    UserResolver,
    TokenCrypto,
    TokenCacheRepository,
    TokenStore,
    ConnectStateRepository,
    ConnectService,
  ],
  exports: [MsalFactory],
})
export class AuthModule {}
