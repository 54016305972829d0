import { createServer } from 'node:net';

/**
 * A port the OS just handed out on 127.0.0.1 and released: free for a moment. For a process
 * that must be told its port before it starts (a child server, a broker restarted on the same
 * port), or for a port nothing listens on.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('the OS gave no TCP port');
  return address.port;
}
