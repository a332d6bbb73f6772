export * from './database-url';
export * from './persistence.module';
export * from './instants';
export * from './sqlite-checkpointer';
export * from './row-reader';
export * from './write-lock';
export * from './bulk-writer';
export * from './sqlite-tuning';
