import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { TokenContext } from '../options';
import { callContextOf } from './call-context';
import { ChainedMiddleware, discard, setHeader } from './util';

/**
 * Attaches `Authorization: Bearer <token>` to every request (whatever the host: we do not rely on
 * the SDK's Graph-host check). A 401 gets one more try with a freshly issued token
 * (`forceRefresh: true`); a second 401 is handed on and becomes GraphApiError kind `auth-expired`.
 */
export class AuthMiddleware extends ChainedMiddleware implements Middleware {
  constructor(private readonly tokenProvider: (ctx: TokenContext) => Promise<string>) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const call = callContextOf(context);
    try {
      setHeader(
        context,
        'Authorization',
        `Bearer ${await this.tokenProvider({ mailbox: call.tokenMailbox })}`,
      );
      await this.next.execute(context);
      if (context.response?.status !== 401) return;
      await discard(context.response);
      context.response = undefined;
      setHeader(
        context,
        'Authorization',
        `Bearer ${await this.tokenProvider({ mailbox: call.tokenMailbox, forceRefresh: true })}`,
      );
      await this.next.execute(context);
    } catch (err) {
      call.failure ??= err;
      throw err;
    }
  }
}
