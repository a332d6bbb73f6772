export * from './api-error';
export * from './exception.filter';
export * from './validation';
export * from './api-key.guard';
export * from './metrics';
export * from './health';
export * from './configure-app';
export * from './service-platform';
