import { GetInstanceCommand, GetStaticIpCommand, type LightsailClient } from '@aws-sdk/client-lightsail';
import { failed, observed, type Observed } from '../core/observed';
import type { InstanceFacts, InstanceSource, StaticIpFacts } from '../core/ports';
import { awsFailure } from './aws-errors';

/**
 * Lightsail reads for the instance belt. Build one per run: answers are memoized per name so that several
 * checks asking for the same instance cost one API call.
 */
export function createInstanceSource(client: LightsailClient): InstanceSource {
  const region = () => (typeof client.config.region === 'function' ? client.config.region() : Promise.resolve(String(client.config.region)));
  const instances = new Map<string, Promise<Observed<InstanceFacts>>>();
  const staticIps = new Map<string, Promise<Observed<StaticIpFacts>>>();

  async function loadInstance(name: string): Promise<Observed<InstanceFacts>> {
    try {
      const out = await client.send(new GetInstanceCommand({ instanceName: name }));
      const i = out.instance;
      if (!i?.state?.name) return failed('invalid', `lightsail:GetInstance returned no state for instance ${name}`);
      return observed({
        name: i.name ?? name,
        state: i.state.name,
        publicIpAddress: i.publicIpAddress,
        privateIpAddress: i.privateIpAddress,
        isStaticIp: i.isStaticIp,
        bundleId: i.bundleId,
        blueprintId: i.blueprintId,
        availabilityZone: i.location?.availabilityZone,
      });
    } catch (err) {
      return awsFailure(err, 'lightsail:GetInstance', `instance ${name} in ${await region().catch(() => 'the region')}`);
    }
  }

  async function loadStaticIp(name: string): Promise<Observed<StaticIpFacts>> {
    try {
      const out = await client.send(new GetStaticIpCommand({ staticIpName: name }));
      const ip = out.staticIp;
      if (!ip) return failed('invalid', `lightsail:GetStaticIp returned nothing for static IP ${name}`);
      return observed({ name: ip.name ?? name, ipAddress: ip.ipAddress, isAttached: ip.isAttached === true, attachedTo: ip.attachedTo || undefined });
    } catch (err) {
      return awsFailure(err, 'lightsail:GetStaticIp', `static IP ${name} in ${await region().catch(() => 'the region')}`);
    }
  }

  return {
    instance(name) {
      let p = instances.get(name);
      if (!p) instances.set(name, (p = loadInstance(name)));
      return p;
    },
    staticIp(name) {
      let p = staticIps.get(name);
      if (!p) staticIps.set(name, (p = loadStaticIp(name)));
      return p;
    },
  };
}
