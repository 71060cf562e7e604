import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import * as path from 'node:path';
import type { MonitorConfig } from '../lambdas/config/schema';
import { ENV } from '../lambdas/handlers/env';
import { FUNCTION_GROUPS, type FunctionGroup } from '../lambdas/handlers/groups';
import { functionTimeoutSeconds } from './deploy-config';
import { functionName } from './naming';
import { commonStatements, groupStatements, type OwnResources } from './permissions';

/** Props of {@link CheckFunction}. */
export interface CheckFunctionProps extends OwnResources {
  /** The validated configuration; passed to the function as JSON (it holds secret sources, never secrets). */
  config: MonitorConfig;
  /** Which checks this function runs. */
  group: FunctionGroup;
  /** State bucket name (the function writes under `state/<group>/`). */
  stateBucketName: string;
  /** Dashboard name, linked from alert messages. */
  dashboardName: string;
}

/** Source of every check function; the group is chosen by the CHRONOS_GROUP variable. */
export const HANDLER_ENTRY = path.join(__dirname, '..', 'lambdas', 'handlers', 'check.ts');

/**
 * One scheduled check function: its own log group, its own least-privilege role, an EventBridge Scheduler
 * schedule every `schedule.rateMinutes`, and no retries anywhere (a retry would be a second run, hence a
 * second alert, for the same event).
 */
export class CheckFunction extends Construct {
  /** The Lambda function. */
  readonly function: NodejsFunction;
  /** The function's log group (JSON lines, one month retention). */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CheckFunctionProps) {
    super(scope, id);
    const { config, group } = props;
    const name = functionName(group);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${name}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${name}: runs the ${FUNCTION_GROUPS[group].join(' and ')} checks`,
      inlinePolicies: {
        Checks: new iam.PolicyDocument({
          statements: [
            // Instead of AWSLambdaBasicExecutionRole (any log group): this function's log group only.
            new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
            ...commonStatements(config, group, props),
            ...groupStatements(Stack.of(this), config, group),
          ],
        }),
      },
    });
    this.function = new NodejsFunction(this, 'Function', {
      functionName: name,
      description: `chronos-monitor ${group} checks (${FUNCTION_GROUPS[group].join(', ')})`,
      entry: HANDLER_ENTRY,
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(functionTimeoutSeconds(config)),
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      retryAttempts: 0,
      environment: {
        [ENV.config]: JSON.stringify(config),
        [ENV.group]: group,
        [ENV.topicArn]: props.topicArn,
        [ENV.stateBucket]: props.stateBucketName,
        [ENV.dashboardName]: props.dashboardName,
      },
      bundling: {
        minify: true,
        target: 'node24',
        format: OutputFormat.CJS,
        // The SDK is bundled: the versions the tests ran are the versions that run (see README "Deploy").
        bundleAwsSDK: true,
        externalModules: ['pg-native'],
      },
    });
    new scheduler.Schedule(this, 'Schedule', {
      scheduleName: name,
      description: `Runs ${name} every ${config.schedule.rateMinutes} minutes`,
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(config.schedule.rateMinutes)),
      target: new targets.LambdaInvoke(this.function, {
        retryAttempts: 0,
        // A run that could not start within one period is stale; the next one replaces it.
        maxEventAge: Duration.minutes(Math.max(1, config.schedule.rateMinutes)),
      }),
    });
  }
}
