// A real nginx (Debian's nginx-light) on a loopback port, with the project's
// deploy/ configuration serving a built site, as the container image does.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { copyFile, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.ts";
import { toolsMissing } from "../../scripts/harness/tools.ts";

export const nginxPath = process.env.NGINX_PATH ?? "/usr/sbin/nginx";

/** Why the nginx tests cannot run here, or undefined when they can. In CI they must. */
export const nginxMissing = () =>
  toolsMissing("the nginx tests", [
    { name: "nginx", path: nginxPath, debianPackage: "nginx-light", variable: "NGINX_PATH" },
  ]);

const accepting = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket.end() && true)).on("error", () => resolve(false));
  });

export interface RunningNginx {
  origin: string;
  stop(): Promise<void>;
}

export async function startNginx(site: string): Promise<RunningNginx> {
  const prefix = await mkdtemp(join(tmpdir(), "privacy-nginx-"));
  const port = await freePort();
  const server = (await readFile("deploy/nginx.conf", "utf8"))
    .replace("listen 8080;", `listen 127.0.0.1:${port};`)
    .replace("root /usr/share/nginx/html;", `root ${site};`);
  assert.ok(
    server.includes(`127.0.0.1:${port}`) && server.includes(site),
    "deploy/nginx.conf no longer has the listen and root lines this test replaces",
  );
  await writeFile(join(prefix, "site.conf"), server);
  await copyFile("deploy/security-headers.conf", join(prefix, "security-headers.conf"));
  // What nginx's own nginx.conf would give: the rest is the project's.
  await writeFile(
    join(prefix, "nginx.conf"),
    `daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log;
events {}
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  include site.conf;
}
`,
  );
  const nginx: ChildProcess = spawn(
    nginxPath,
    ["-p", prefix, "-c", join(prefix, "nginx.conf"), "-e", join(prefix, "error.log")],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let errors = "";
  nginx.stderr?.on("data", (chunk) => (errors += chunk));
  for (let waited = 0; !(await accepting(port)); waited += 50) {
    if (nginx.exitCode !== null || waited > 5000) throw new Error(`nginx did not start: ${errors}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        nginx.once("exit", () => resolve());
        nginx.kill("SIGQUIT");
      }),
  };
}
