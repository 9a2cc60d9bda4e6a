/**
 * @wmkit/analysis — analyses on plain arrays (model output or recordings): circular statistics,
 * timescales, variability, cross-temporal decoding, fitting.
 */
export * from './circular';
export * from './decoding';
export * from './levenberg-marquardt';
export * from './spike-counts';
export * from './timescales';
export * from './variability';
