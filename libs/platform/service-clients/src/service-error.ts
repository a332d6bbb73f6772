/**
 * An error answered by one of our services (or by Graph, classified), carried with its status,
 * contract code and extra body fields (e.g. `connectUrl`) so that it can be passed through
 * unchanged to the platform by the error filter.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}
