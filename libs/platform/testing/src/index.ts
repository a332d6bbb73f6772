export * from './test-config';
export * from './test-database';
export * from './test-app';
export { FakeClock } from '@ocb/clock';
export * from './simulator';
export * from './route-guard-probe';
