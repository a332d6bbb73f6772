export * from './logger.options';
