import type { CheckDefinition } from '../../core/check';

/** `instance.state`: the Lightsail instance that hosts the database is `running`. */
export const instanceState: CheckDefinition = {
  id: 'instance.state',
  belt: 'instance',
  description: 'The Lightsail instance is running (lightsail:GetInstance).',
  async run({ config, deps }) {
    const name = config.instance.name;
    const r = await deps.instance.instance(name);
    if (!r.ok) {
      if (r.kind === 'not-found') {
        return { status: 'fail', summary: `instance ${name} not found in ${config.region}`, details: { reason: r.reason } };
      }
      return { status: 'unknown', summary: `cannot read the state of instance ${name}: ${r.reason}`, details: { kind: r.kind, reason: r.reason } };
    }
    const facts = r.value;
    const running = facts.state === 'running';
    return {
      // Lightsail documents only running and pending; any other string is reported verbatim.
      status: running ? 'ok' : 'fail',
      summary: running
        ? `instance ${name} is running (expected running)`
        : `instance ${name} is ${facts.state}, expected running`,
      metrics: [{ name: 'InstanceRunning', value: running ? 1 : 0, unit: 'Count' }],
      details: { ...facts },
    };
  },
};
