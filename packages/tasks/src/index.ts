export * from './alphabet';
export * from './dms';
export * from './kim-tasks';
export * from './odr';
export * from './spike-patterns';
export * from './stm';
export * from './task';
export * from './wta-inputs';
