import { createServer } from 'node:http';
import { join } from 'node:path';

/**
 * A Docker Engine API stand-in on a unix socket in `dir`: GET paths answered with the given JSON bodies (the real
 * payloads), 404 otherwise, and DOCKER_HOST pointed at it. The returned function closes it and restores DOCKER_HOST.
 */
export async function serveDockerApi(dir: string, answers: Record<string, unknown>): Promise<() => Promise<void>> {
  const previous = process.env.DOCKER_HOST;
  const server = createServer((req, res) => {
    const body = answers[req.url ?? ''];
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body ?? { message: 'page not found' }));
  });
  const socket = join(dir, 'docker.sock');
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  process.env.DOCKER_HOST = `unix://${socket}`;
  return async () => {
    if (previous === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = previous;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}
