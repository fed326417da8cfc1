#!/usr/bin/env node
// Installed command: runs the bundled exporter (built by `npm run build`, also on `npm install`;
// scripts/bundle.mjs says why a bundle).
import '../dist/bundle/index.js';
