import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiFoundResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@ocb/http';
import { ConnectQuery, ConnectUrlResponse } from './connect.dto';
import { ConnectService, type CallbackQuery } from './connect.service';
import { page } from './pages';

@ApiTags('auth')
@Controller()
export class ConnectController {
  constructor(private readonly connect: ConnectService) {}

  @Public()
  @ApiSecurity({})
  @Get('auth/connect')
  @ApiOperation({ summary: 'Browser: start connecting a user (302 to the Microsoft authorize URL)' })
  @ApiFoundResponse({ description: 'Redirect to the authorize endpoint' })
  async start(@Query() query: ConnectQuery, @Res() res: Response): Promise<void> {
    const url = await this.connect.authorizeUrl(query.user, query.returnUrl);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, url);
  }

  @Get('auth/connect-url')
  @ApiOperation({ summary: 'Platform: the authorize URL for a user, to open in their browser' })
  @ApiOkResponse({ type: ConnectUrlResponse })
  async url(@Query() query: ConnectQuery): Promise<ConnectUrlResponse> {
    return { url: await this.connect.authorizeUrl(query.user, query.returnUrl) };
  }

  /** The redirect URI registered with Microsoft (outside the /api prefix). */
  @Public()
  @ApiExcludeEndpoint()
  @Get('app/api/auth/serviceAction/callback')
  async callback(@Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    const params: CallbackQuery = {
      code: str(query['code']),
      state: str(query['state']),
      error: str(query['error']),
      error_description: str(query['error_description']),
    };
    const outcome = await this.connect.callback(params);
    res.setHeader('Cache-Control', 'no-store');
    const wantsJson = (res.req.headers.accept ?? '').includes('application/json') && !(res.req.headers.accept ?? '').includes('text/html');
    if (outcome.ok) {
      if (outcome.redirectTo) return res.redirect(302, outcome.redirectTo);
      const message = `${outcome.userPrincipalName} is connected. You can close this window.`;
      if (wantsJson) res.status(200).json({ connected: true, userPrincipalName: outcome.userPrincipalName, message });
      else res.status(200).type('html').send(page('Connected', message));
      return;
    }
    if (wantsJson) res.status(outcome.status).json({ statusCode: outcome.status, code: outcome.code, message: outcome.message });
    else res.status(outcome.status).type('html').send(page('Not connected', `${outcome.code}: ${outcome.message}`));
  }
}
