export * from './dms';
export * from './task';
