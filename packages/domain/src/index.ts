export * from './roles';
export * from './problem';
export * from './time-zone';
export * from './auth.schemas';
export * from './clinic.schemas';
export * from './notice.schemas';
export * from './live.events';
