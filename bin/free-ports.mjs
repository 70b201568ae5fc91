// Free TCP ports for the test servers, so that tests never collide with `npm start` (4173), `npm run dev`
// or another test run. Run as a script (`node bin/free-ports.mjs 2`), it prints the ports on one line.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * `count` distinct ports that are free now: each is taken with `listen(0)` (every address, IPv4 and IPv6,
 * as `localhost` may be either) and all are held until the last is known, then released.
 */
export async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, resolve);
      });
    }
    return servers.map((server) => server.address().port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(() => resolve()))));
  }
}

/** The same, synchronously (for config files that cannot await): asks a child Node process. */
export function freePortsSync(count) {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), String(count)], { encoding: 'utf8' });
  const ports = out.trim().split(/\s+/).map(Number);
  if (ports.length !== count || !ports.every((port) => Number.isInteger(port) && port > 0)) {
    throw new Error(`free-ports: expected ${count} ports, got "${out.trim()}"`);
  }
  return ports;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log((await freePorts(Number(process.argv[2] ?? 1))).join(' '));
}
