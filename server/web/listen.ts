import net from 'node:net';

/**
 * What to tell a person whose web process cannot listen, when it is a setting they can change;
 * undefined for other errors (those are not configuration errors).
 */
export function listenProblem(error: unknown, port: number, host: string): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EADDRINUSE':
      return (
        `Port ${port} on ${host} is already in use by another process. ` +
        'Stop that process, or choose another port with the PORT variable ' +
        `(for example PORT=${port === 65535 ? port - 1 : port + 1} npm start).`
      );
    case 'EACCES':
      return (
        `Not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges). ` +
        'Choose another port with the PORT variable.'
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return (
        `Cannot listen on ${host}: it is not an address of this machine. ` +
        'Set the HOST variable to one of its addresses (default 127.0.0.1).'
      );
    default:
      return undefined;
  }
}

/** Listens, or rejects with the server's 'error' (a busy port, say) instead of throwing it. */
export function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(error);
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

/**
 * Whether the web process will be able to listen, found by listening for a moment, so that
 * npm start can refuse before it starts anything else. The web process still handles the
 * error itself: another program may take the port in between.
 */
export async function checkListen(port: number, host: string): Promise<string | undefined> {
  const probe = net.createServer();
  try {
    await listen(probe, port, host);
  } catch (error) {
    const problem = listenProblem(error, port, host);
    if (problem) return problem;
    throw error;
  }
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return undefined;
}
