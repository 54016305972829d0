export * from './auth';
export * from './http-edge.module';
export * from './json-body';
export * from './openapi';
export * from './problem';
export * from './problem.filter';
export * from './write-context';
export * from './written.interceptor';
