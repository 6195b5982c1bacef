// A stand-in for Matomo, under its real host name in the tests. It serves the
// opt-out frame and matomo.js (the browser scripts beside this file, written
// for these tests from Matomo's documented behaviour) and records what
// arrives: each frame's URL and referrer, the frame's popups, and each
// tracking request with its cookies. The tests hold our page to what it
// controls: the frame's options, our policy and no sandbox, the tracker's settings.
import { readFileSync } from "node:fs";
import type { RequestListener } from "node:http";

export interface MatomoTraffic {
  frames: { url: URL; referrer: string }[];
  popups: URL[];
  tracking: { url: URL; cookie: string }[];
}

const script = (name: string) => readFileSync(new URL(name, import.meta.url));
const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The frame: a box to uncheck, styled by the options Matomo's opt-out page takes. */
const frame = (query: URLSearchParams) => {
  const [color, background] = [query.get("fontColor"), query.get("backgroundColor")];
  const style = `body{font:${escape(query.get("fontSize") ?? "")} ${escape(query.get("fontFamily") ?? "sans-serif")};color:#${color ?? "000"};background:#${background ?? "fff"}}`;
  return `<!DOCTYPE html><html lang="${escape(query.get("language") ?? "")}"><title>Opt-out</title><style>${style}</style>
<input type="checkbox" id="trackVisits" checked><label for="trackVisits">Count my visits</label><script src="/opt-out.js"></script>`;
};

export function matomoStandIn(traffic: MatomoTraffic): RequestListener {
  return (request, response) => {
    const url = new URL(request.url ?? "/", `https://${request.headers.host}`);
    const send = (type: string, body: string | Buffer) => response.writeHead(200, { "content-type": type }).end(body);
    if (url.pathname === "/index.php" && url.searchParams.get("action") === "optOut") {
      if (url.searchParams.has("popup")) traffic.popups.push(url);
      else traffic.frames.push({ url, referrer: request.headers.referer ?? "" });
      send("text/html; charset=utf-8", frame(url.searchParams));
    } else if (url.pathname === "/opt-out.js" || url.pathname === "/matomo.js") {
      send("application/javascript", script(url.pathname === "/matomo.js" ? "tracker.js" : "opt-out.js"));
    } else if (url.pathname === "/matomo.php") {
      traffic.tracking.push({ url, cookie: request.headers.cookie ?? "" });
      response.writeHead(204).end();
    } else response.writeHead(404).end();
  };
}
