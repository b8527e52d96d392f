import net from 'node:net';
import { listenFailed } from '../serving/listen-error.js';

/**
 * reusePort mode, before any worker is forked: checks that nothing listens on `port` and returns
 * its number (PORT=0 resolved to a free port every worker then shares). The primary listens without
 * SO_REUSEPORT for the length of this check only, so a port another process holds fails here with
 * exit 69, as it does in every other mode, even when that process is itself a reusePort group the
 * workers could otherwise join unnoticed (Linux lets sockets of the same user share the port).
 */
export function claimPort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => reject(listenFailed(port, err)));
    probe.listen(port, () => {
      const { port: bound } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(bound));
    });
  });
}
