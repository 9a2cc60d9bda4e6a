/**
 * @wmkit/figures — the figures of wmkit runs and reproductions as standalone SVG documents (drawn
 * with Observable Plot), and the rendering of reproduction reports (report.md / report.html). The
 * CLI writes these into run directories; a notebook or the viewer calls the same functions on the
 * same results and gets the same figures.
 */
export * from './attractors';
export * from './compte2000';
export * from './delay-snn';
export * from './delay-snn-runs';
// Both ei-rnn.ts and wta.ts name their point type CurvePoint: the E/I RNN's training-curve point
// keeps the name, the winner-take-all curves' point is exported as WtaCurvePoint.
export type { CurvePoint } from './ei-rnn';
export * from './ei-rnn';
export * from './ei-rnn-runs';
export * from './foldiak';
export * from './heatmap';
export * from './kim2021';
export * from './paper-runs';
export * from './plot';
export * from './recipes';
export * from './report';
export * from './stm';
export * from './wimmer';
export type { CurvePoint as WtaCurvePoint } from './wta';
export * from './wta';
