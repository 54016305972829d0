export * from './channels';
export type * from './reader';
export * from './values';
