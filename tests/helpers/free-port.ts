import { createServer } from "node:net";

/**
 * A loopback port nothing listens on right now, for the tools that cannot
 * listen on port 0 and say which port they got (nginx, WebKitWebDriver); our
 * own servers listen on port 0 instead.
 */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
