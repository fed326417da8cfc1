// OCSP responses for stapling tests: the demo's builder (src/demo/ocsp-response.ts).
export * from '../../src/demo/ocsp-response.js';
