export * from './contracts';
export * from './service-error';
export * from './internal-http';
export * from './auth.client';
export * from './sync.client';
export * from './platform.client';
export * from './scheduling';
