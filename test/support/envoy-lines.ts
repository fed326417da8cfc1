// Envoy access-log lines for tests: the demo's renderer (src/demo/envoy-lines.ts).
export * from '../../src/demo/envoy-lines.js';
