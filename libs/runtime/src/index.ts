export * from './free-port';
export * from './wait-for';
export * from './seeded-random';
export * from './process-tree';
