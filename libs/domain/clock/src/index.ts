export * from './clock';
export * from './expiring-cache';
