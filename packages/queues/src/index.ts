export * from './queue-names';
export * from './job-payloads';
export * from './redis-connection';
export * from './queue-factory';
export * from './live-emitter';
export * from './testing';
export * from './shutdown';
