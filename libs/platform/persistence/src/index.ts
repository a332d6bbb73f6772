export * from './database-url';
export * from './persistence.module';
export * from './instants';
export * from './sqlite-checkpointer';
export * from './row-reader';
