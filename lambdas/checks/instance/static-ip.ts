import { isIP } from 'node:net';
import type { CheckDefinition } from '../../core/check';
import type { CheckOutcome } from '../../core/types';

/**
 * `instance.static-ip`: the configured static IP exists, is attached to this instance, and is the address the
 * database checks connect to. A mismatch fails: the database belt would then be judging another machine,
 * which is a false OK in the making.
 */
export const instanceStaticIp: CheckDefinition = {
  id: 'instance.static-ip',
  belt: 'instance',
  description: 'The static IP is attached to the instance and is the address the monitor connects to (lightsail:GetStaticIp).',
  skipReason: (config) => (config.instance.staticIpName ? undefined : 'instance.staticIpName is not configured'),
  async run({ config, deps }): Promise<CheckOutcome> {
    const ipName = config.instance.staticIpName as string;
    const instanceName = config.instance.name;
    const r = await deps.instance.staticIp(ipName);
    if (!r.ok) {
      if (r.kind === 'not-found') {
        return { status: 'fail', summary: `static IP ${ipName} not found in ${config.region}`, metrics: [attached(0)], details: { reason: r.reason } };
      }
      return { status: 'unknown', summary: `cannot read static IP ${ipName}: ${r.reason}`, details: { kind: r.kind, reason: r.reason } };
    }
    const ip = r.value;
    const address = ip.ipAddress ?? '(no address)';
    const details: Record<string, unknown> = { ...ip, expectedInstance: instanceName, databaseHost: config.database.host };
    if (!ip.isAttached || !ip.attachedTo) {
      return {
        status: 'fail',
        summary: `static IP ${ipName} (${address}) is not attached to any instance, expected attached to ${instanceName} (an unattached static IP is also billed)`,
        metrics: [attached(0)],
        details,
      };
    }
    if (ip.attachedTo !== instanceName) {
      return {
        status: 'fail',
        summary: `static IP ${ipName} (${address}) is attached to ${ip.attachedTo}, expected ${instanceName}`,
        metrics: [attached(0)],
        details,
      };
    }
    const host = config.database.host;
    if (!isIP(host)) {
      details.hostComparison = `database.host ${host} is a name, not an IP literal; it was not compared with ${address}`;
      return { status: 'ok', summary: `static IP ${ipName} (${address}) is attached to ${instanceName} (expected ${instanceName})`, metrics: [attached(1)], details };
    }
    if (host === ip.ipAddress) {
      return {
        status: 'ok',
        summary: `static IP ${ipName} (${address}) is attached to ${instanceName} and is database.host (expected both)`,
        metrics: [attached(1)],
        details,
      };
    }
    // After port 5432 is closed, the database check connects over the peered VPC to the instance's private IP.
    const inst = await deps.instance.instance(instanceName);
    if (inst.ok && inst.value.privateIpAddress === host) {
      details.hostComparison = `database.host ${host} is the private IP of ${instanceName}`;
      return {
        status: 'ok',
        summary: `static IP ${ipName} (${address}) is attached to ${instanceName}; database.host ${host} is its private IP (expected the static or private IP)`,
        metrics: [attached(1)],
        details,
      };
    }
    if (!inst.ok) details.instanceReadError = inst.reason;
    return {
      status: 'fail',
      summary: `database.host ${host} is not static IP ${ipName} (${address}) of ${instanceName}${inst.ok ? ` nor its private IP ${inst.value.privateIpAddress ?? '(none)'}` : ''}: the database checks are looking at a different machine`,
      metrics: [attached(1)],
      details,
    };
  },
};

function attached(value: 0 | 1) {
  return { name: 'StaticIpAttached', value, unit: 'Count' as const };
}
