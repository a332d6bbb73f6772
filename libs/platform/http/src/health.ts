import { Controller, DynamicModule, Get, Inject, Module, Provider } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, TerminusModule } from '@nestjs/terminus';
import { Public } from './api-key.guard';

/** A readiness probe: resolves when the dependency answers, throws otherwise. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<unknown>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

export interface ReadinessCheckFactory {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...deps: any[]) => ReadinessCheck[] | Promise<ReadinessCheck[]>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  /** Liveness: the process answers. */
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: database and upstreams reachable (503 otherwise). */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(
      this.checks.map((c) => async (): Promise<HealthIndicatorResult> => {
        try {
          await withTimeout(c.check(), 3000);
          return { [c.name]: { status: 'up' } };
        } catch (e) {
          const { HealthCheckError } = await import('@nestjs/terminus');
          throw new HealthCheckError(`${c.name} is down`, {
            [c.name]: { status: 'down', message: e instanceof Error ? e.message : String(e) },
          });
        }
      }),
    );
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

@Module({})
export class HealthModule {
  /** `checks`: a provider (useFactory with inject) yielding the service's readiness checks. */
  static forRoot(checks: ReadinessCheckFactory | ReadinessCheck[] = []): DynamicModule {
    const provider: Provider = Array.isArray(checks)
      ? { provide: READINESS_CHECKS, useValue: checks }
      : { provide: READINESS_CHECKS, useFactory: checks.useFactory, inject: checks.inject ?? [] };
    return { module: HealthModule, imports: [TerminusModule], controllers: [HealthController], providers: [provider] };
  }
}
