import { Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiError, InternalRoutes } from '@ocb/http';
import type { AppTokenResponse, UserTokenResponse } from '@ocb/service-clients';
import { UserResolver } from '../directory/user-resolver.service';
import { AppTokenService } from '../tokens/app-token.service';
import { DelegatedTokenService } from '../tokens/delegated-token.service';

/** Service-to-service token routes (INTERNAL_API_KEY). */
@ApiTags('internal')
@InternalRoutes()
export class InternalController {
  constructor(
    private readonly appTokens: AppTokenService,
    private readonly delegated: DelegatedTokenService,
    private readonly users: UserResolver,
  ) {}

  @Get('tokens/app')
  @ApiOperation({ summary: 'The app-only Graph token (client credentials), cached' })
  app(): Promise<AppTokenResponse> {
    return this.appTokens.token();
  }

  @Get('users/:user/token')
  @ApiOperation({ summary: "A user's delegated Graph token; 409 CONSENT_REQUIRED with connectUrl when not connected" })
  @ApiQuery({ name: 'forceRefresh', required: false, enum: ['true', 'false'] })
  async user(@Param('user') user: string, @Query('forceRefresh') forceRefresh?: string): Promise<UserTokenResponse> {
    if (forceRefresh !== undefined && forceRefresh !== 'true' && forceRefresh !== 'false') {
      throw ApiError.validation('forceRefresh: must be true or false');
    }
    const resolved = await this.users.resolve(user);
    return this.delegated.token(resolved, forceRefresh === 'true');
  }
}
