export * from './data-source';
export * from './entities/organisation.entity';
export * from './entities/clinic.entity';
export * from './entities/user.entity';
export * from './entities/clinic-membership.entity';
export * from './seed/demo-data';
export * from './seed/demo.seed';
export * from './testing/test-database';
