#!/usr/bin/env node
// npx entry point: runs the TypeScript CLI through tsx so no build step is needed.
require('tsx/cjs/api').register();
require('./cli.ts');
