// The probing engine: what reads certificates (the ASN.1 parsers, PKCS#12 keystores in a worker
// thread) and makes handshakes. Imported on first use, not at start: an exporter that only reads
// logs never loads it, and a sidecar's start-up time and idle memory are multiplied by its pods
// (issue 18, measured in docs/performance.md). Import it through engine-loader.ts, never directly.
export { loadModule, readIssuers, systemRoots } from './module-runtime.js';
export { probeTarget } from './tls-probe.js';
export { scanCertFiles } from './cert-file-source.js';
export { anchorsFromPem } from '../certs/inspect/verify-chain.js';
export { positionedChain } from './probe-result.js';
export { applySettings, revocationFromSettings } from '../certs/revocation/from-settings.js';
export { checkHeldCerts } from './revocation-check.js';
