import { createServer, type Server, type Socket } from 'node:net';

/** A TCP server on 127.0.0.1 that accepts connections and never writes a byte: a hung database. */
export interface NeverAnsweringServer {
  port: number;
  /** Connections accepted so far. */
  accepted(): number;
  /** Destroys every held socket and closes the server. */
  close(): Promise<void>;
}

/** Starts a {@link NeverAnsweringServer} on a free loopback port. */
export async function startNeverAnsweringServer(): Promise<NeverAnsweringServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    // Read and discard so the client's writes succeed and it really waits for an answer.
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
