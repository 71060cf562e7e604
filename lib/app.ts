import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfigFile } from '../lambdas/config/load';
import { MonitorStack } from './monitor-stack';
import { STACK_NAME } from './naming';

/** Default configuration file, the same one the CLI reads. */
export const DEFAULT_CONFIG_FILE = 'monitor.config.json';

/**
 * Builds the monitor app: reads the configuration file named by the `config` context (`-c config=...`),
 * validates it with the CLI's schema (a bad file fails synth with the schema's message), creates the stack in
 * `config.region` and runs the cdk-nag AwsSolutions rules on it.
 */
export function buildApp(app: App = new App()): { app: App; stack: MonitorStack } {
  const file = (app.node.tryGetContext('config') as string | undefined) ?? DEFAULT_CONFIG_FILE;
  const config = loadConfigFile(file);
  const stack = new MonitorStack(app, STACK_NAME, {
    config,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: config.region },
    description: `chronos-monitor for ${config.instance.name}: can this database be restored to 15 minutes ago, right now?`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
