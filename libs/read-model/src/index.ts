export * from './aggregate-fields';
export * from './channels';
export * from './cursor';
export { DEFAULT_NAMESPACE, KeySpace, NO_EPOCH } from './keys';
export { present } from './present';
export type * from './reader';
export { createReadModelReader } from './read-model-reader';
export * from './read-model-writer';
export * from './values';
