#!/usr/bin/env node
// Installed command: runs the compiled exporter (built by `npm run build`, also on `npm install`).
import '../dist/index.js';
