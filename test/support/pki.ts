// Test PKI: the same minting the embedded demo uses (src/certs/mint.ts), per test, in memory.
export * from '../../src/certs/mint.js';
