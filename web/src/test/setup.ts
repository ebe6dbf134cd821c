import '@testing-library/jest-dom/vitest';

// jsdom has no media pipeline; make load()/pause() no-ops instead of "not implemented" noise.
if (typeof HTMLMediaElement !== 'undefined') {
  Object.defineProperty(HTMLMediaElement.prototype, 'load', { configurable: true, value: () => {} });
  Object.defineProperty(HTMLMediaElement.prototype, 'pause', { configurable: true, value: () => {} });
}
