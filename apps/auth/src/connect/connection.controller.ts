import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserResolver } from '../directory/user-resolver.service';
import { TokenStore } from '../store/token-store.service';
import { ConnectionResponse } from './connect.dto';

@ApiTags('auth')
@Controller('auth/users/:user/connection')
export class ConnectionController {
  constructor(
    private readonly users: UserResolver,
    private readonly store: TokenStore,
  ) {}

  @Get()
  @ApiOperation({ summary: "A user's connection: connected, granted scopes, access token expiry" })
  @ApiOkResponse({ type: ConnectionResponse })
  async get(@Param('user') user: string): Promise<ConnectionResponse> {
    const { record } = await this.users.resolve(user);
    const connected = !!record?.connected && !!record.cacheData;
    return {
      connected,
      scopes: connected ? (record?.scopes ?? '').split(' ').filter(Boolean) : [],
      expiresAt: connected ? (record?.expiresAt ?? null) : null,
    };
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: "Forget a user's tokens (their account leaves the token cache)" })
  @ApiNoContentResponse()
  async remove(@Param('user') user: string): Promise<void> {
    const resolved = await this.users.resolve(user);
    if (resolved.record) await this.store.disconnect(resolved.id, 'disconnected on request');
  }
}
