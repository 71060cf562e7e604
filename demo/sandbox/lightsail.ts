/**
 * A loopback stand-in for the two Lightsail read calls the instance belt makes (GetInstance, GetStaticIp),
 * speaking the AWS JSON 1.1 protocol so the real @aws-sdk/client-lightsail talks HTTP to it unchanged.
 * It answers from an in-memory world the demo can change between runs (stop the instance, detach the IP).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One simulated instance, in the shape GetInstance returns (the fields the monitor reads and a few more). */
export interface FakeInstance {
  name: string;
  /** Lightsail state name: running, stopped, pending, ... */
  state: string;
  publicIpAddress: string;
  privateIpAddress: string;
  isStaticIp: boolean;
  blueprintId: string;
  bundleId: string;
  availabilityZone: string;
}

/** One simulated static IP, in the shape GetStaticIp returns. */
export interface FakeStaticIp {
  name: string;
  ipAddress: string;
  isAttached: boolean;
  /** Instance name it is attached to, when attached. */
  attachedTo?: string;
}

/** What the stand-in knows; mutate it between runs to stage a scenario. */
export interface LightsailWorld {
  region: string;
  instances: Record<string, FakeInstance>;
  staticIps: Record<string, FakeStaticIp>;
}

/** A running stand-in. */
export interface LightsailStandIn {
  /** `http://127.0.0.1:PORT`, for `config.endpoints.lightsail`. */
  url: string;
  world: LightsailWorld;
  /** Calls answered so far, by operation name (shows the SDK really came here). */
  calls: Record<string, number>;
  close(): Promise<void>;
}

const STATE_CODES: Record<string, number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };
const ACCOUNT = '111122223333';

function arn(world: LightsailWorld, type: string, name: string): string {
  return `arn:aws:lightsail:${world.region}:${ACCOUNT}:${type}/${name}`;
}

function instanceBody(world: LightsailWorld, i: FakeInstance): unknown {
  return {
    instance: {
      name: i.name,
      arn: arn(world, 'Instance', i.name),
      createdAt: Date.UTC(2025, 10, 1) / 1000,
      location: { availabilityZone: i.availabilityZone, regionName: world.region },
      resourceType: 'Instance',
      tags: [
        { key: 'Project', value: 'Chronos' },
        { key: 'Environment', value: 'Demo' },
      ],
      blueprintId: i.blueprintId,
      bundleId: i.bundleId,
      isStaticIp: i.isStaticIp,
      privateIpAddress: i.privateIpAddress,
      publicIpAddress: i.publicIpAddress,
      state: { code: STATE_CODES[i.state] ?? 16, name: i.state },
      username: 'ubuntu',
    },
  };
}

function staticIpBody(world: LightsailWorld, ip: FakeStaticIp): unknown {
  return {
    staticIp: {
      name: ip.name,
      arn: arn(world, 'StaticIp', ip.name),
      location: { availabilityZone: 'all', regionName: world.region },
      resourceType: 'StaticIp',
      ipAddress: ip.ipAddress,
      isAttached: ip.isAttached,
      ...(ip.isAttached && ip.attachedTo ? { attachedTo: ip.attachedTo } : {}),
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': `demo-${Date.now().toString(36)}`,
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(text);
}

function notFound(res: ServerResponse, what: string): void {
  // Lightsail answers a missing resource with HTTP 400 NotFoundException, not 404.
  send(res, 400, { __type: 'NotFoundException', code: 'NotFound', message: `${what} does not exist` }, 'NotFoundException');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Answers one request: `POST /` with `X-Amz-Target: Lightsail_20161128.<Operation>` and a JSON body. */
async function handle(world: LightsailWorld, calls: Record<string, number>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const op = target.startsWith('Lightsail_20161128.') ? target.slice('Lightsail_20161128.'.length) : '';
  let input: Record<string, unknown> = {};
  try {
    const text = await readBody(req);
    input = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    send(res, 400, { __type: 'SerializationException', message: 'request body is not JSON' }, 'SerializationException');
    return;
  }
  if (req.method !== 'POST' || !op) {
    send(res, 400, { __type: 'UnknownOperationException', message: `expected POST / with X-Amz-Target Lightsail_20161128.*, got ${req.method} ${target || '(none)'}` }, 'UnknownOperationException');
    return;
  }
  calls[op] = (calls[op] ?? 0) + 1;
  if (op === 'GetInstance') {
    const name = String(input.instanceName ?? '');
    const i = world.instances[name];
    if (!i) return notFound(res, `The Instance ${name}`);
    return send(res, 200, instanceBody(world, i));
  }
  if (op === 'GetStaticIp') {
    const name = String(input.staticIpName ?? '');
    const ip = world.staticIps[name];
    if (!ip) return notFound(res, `The StaticIp ${name}`);
    return send(res, 200, staticIpBody(world, ip));
  }
  send(res, 400, { __type: 'InvalidInputException', message: `the demo Lightsail stand-in does not implement ${op}` }, 'InvalidInputException');
}

/** Starts the stand-in on 127.0.0.1 (a free port) with the given world. */
export async function startLightsail(world: LightsailWorld): Promise<LightsailStandIn> {
  const calls: Record<string, number> = {};
  const server = createServer((req, res) => {
    handle(world, calls, req, res).catch((err: Error) => send(res, 500, { __type: 'InternalFailure', message: err.message }, 'InternalFailure'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    world,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
