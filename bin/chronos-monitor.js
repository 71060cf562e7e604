#!/usr/bin/env node
// npx entry point: runs the TypeScript CLI through tsx so no build step is needed.
// The AWS SDK's notice that its 2027 releases need Node.js 22 would print on every run; the README says it once.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs/api').register();
require('./cli.ts');
