// @ts-check
// The preview's web server (`npm start`): Eleventy's dev server, listening on
// the address in its `host` option (lib/preview.ts sets it: this machine
// only, unless the maintainer asks for another). The dev server (2.x) has no
// such option and listens on every interface (11ty/eleventy-dev-server#128).
// Eleventy takes a server of one's own by its package name
// (`setServerOptions({ module })`), so package.json links this folder into
// node_modules. Plain JavaScript: Eleventy imports it as it is.
import EleventyDevServer from "@11ty/eleventy-dev-server";

export default class PreviewServer extends EleventyDevServer {
  /** @param {string} name @param {string} dir @param {{ host?: string }} options */
  static getServer(name, dir, options) {
    return new PreviewServer(name, dir, options);
  }

  /** The dev server's one call to listen, with the address. @param {number} port */
  _serverListen(port) {
    this.server.listen({ port, host: this.options.host });
  }
}
