/**
 * @wmkit/analysis — analyses on plain arrays (model output or recordings): circular statistics,
 * timescales, variability, cross-temporal decoding, fitting.
 */
export * from './bump-signatures';
export * from './circular';
export * from './code-information';
export * from './cross-temporal-timescales';
export * from './decision';
export * from './decoding';
export * from './diffusion';
export * from './eigen';
export * from './fano-timescales';
export * from './fixed-points';
export * from './hypothesis-tests';
export * from './levenberg-marquardt';
export * from './mechanism';
export * from './pca';
export * from './planted-odr';
export * from './sparseness';
export * from './spatial-wm';
export * from './spectral';
export * from './spike-counts';
export * from './stats';
export * from './synapse-classes';
export * from './timescales';
export * from './timescales-unbiased';
export * from './tuning';
export * from './variability';
export * from './wimmer-battery';
