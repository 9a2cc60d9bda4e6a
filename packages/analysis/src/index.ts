export * from './circular';
