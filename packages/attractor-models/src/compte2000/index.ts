export * from './config';
export * from './experiment';
export * from './network';
export * from './observables';
export * from './protocol';
export * from './simulate';
export * from './tfjs';
