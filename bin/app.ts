#!/usr/bin/env node
import { ConfigError } from '../lambdas/config/load';
import { buildApp } from '../lib/app';
import { DeployConfigError } from '../lib/monitor-stack';

try {
  buildApp();
} catch (err) {
  // A configuration problem is the operator's to fix: print the message (it names the field), not a stack trace.
  if (!(err instanceof ConfigError || err instanceof DeployConfigError)) throw err;
  console.error(`chronos-monitor: ${err.message}`);
  process.exit(1);
}
