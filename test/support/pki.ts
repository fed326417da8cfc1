// Test PKI: the same minting the embedded demo uses (src/demo/pki.ts), per test, in memory.
export * from '../../src/demo/pki.js';
