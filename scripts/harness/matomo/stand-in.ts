// The stand-in for Matomo's server, answering the browser tests under
// Matomo's real host name. Written for these tests from Matomo's source
// (read, not copied), and kept to what the page uses:
// - plugins/CoreAdminHome/OptOutManager.php and templates/optOut.twig: the
//   opt-out page, its styling options (fontSize, fontFamily, fontColor and
//   backgroundColor as rules for the body), its checkbox form, the nonce kept in Matomo's session
//   (MATOMO_SESSID), the popup's two steps (setCookieInNewWindow=1 reloads
//   itself with showConfirmOnly=1; a valid nonce there toggles the ignore
//   cookie and hands the frame the next nonce), and the Do Not Track text;
// - core/Tracker/IgnoreCookie.php and core/Session.php: the matomo_ignore
//   cookie (30 years) and the session cookie, SameSite=None and Secure on
//   https, as Matomo sends them for the opt-out;
// - plugins/PrivacyManager/DoNotTrackHeaderChecker.php: a DNT: 1 request
//   gets no form and is not recorded (Matomo's default);
// - matomo.php: records each request, or excludes it where the ignore cookie
//   came along.
// The browser scripts beside this file stand in for matomo.js, the frame's
// optOut.js and the popup's inline script. One deviation: the page has a lang attribute, which
// Matomo's template lacks, so that axe checks our page rather than Matomo's.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";

// From the project's folder, where every test runs (scripts/test.ts).
const script = (name: string) => readFileSync(join("scripts", "harness", "matomo", name), "utf8");
const trackerLibrary = script("tracker.js");
const optOutScript = script("opt-out.js");
const confirmScript = script("confirm.js");
const transparentGif = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

const sessionCookie = "MATOMO_SESSID";
const ignoreCookie = "matomo_ignore";
const ignoreValue = "ignore=Kg==";
const thirtyYears = 30 * 365 * 24 * 60 * 60;

/** What matomo.php made of a tracking request, told to the tests in this response header. */
export const outcomeHeader = "x-stand-in-outcome";
export type Outcome = "recorded" | "excluded";

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

function cookiesOf(request: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (request.headers.cookie ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at > 0) cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return cookies;
}

const doNotTrack = (request: IncomingMessage) =>
  String(request.headers.dnt ?? "").startsWith("1") || request.headers["x-do-not-track"] === "1";

function optOutPage(query: URLSearchParams, body: string, head = ""): string {
  // Matomo's optOutStyling: each option given, as a rule for the body; colours are hex digits without "#".
  const rules = [
    ["font-size", query.get("fontSize")],
    ["font-family", query.get("fontFamily")],
    ["color", query.get("fontColor") && `#${query.get("fontColor")}`],
    ["background-color", query.get("backgroundColor") && `#${query.get("backgroundColor")}`],
  ];
  const style = `body{${rules
    .filter(([, value]) => value)
    .map(([name, value]) => `${name}:${value}`)
    .join(";")}}`;
  return `<!DOCTYPE html><html lang="${escape(query.get("language") ?? "en")}"><head><meta charset="utf-8">${head}<meta name="robots" content="noindex"><title>Opt-out</title><style>${style}</style></head><body>${body}</body></html>`;
}

/** A tracking request as matomo.php saw it: for engines whose drivers cannot watch responses. */
export interface TrackingRecord {
  url: URL;
  outcome: Outcome;
}

export function matomoStandIn(onTracking?: (record: TrackingRecord) => void) {
  /** Matomo's session store: the opt-out nonce of each session. */
  const nonces = new Map<string, string | undefined>();

  function optOut(request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void {
    const cookies = cookiesOf(request);
    const setCookies: string[] = [];
    let session = cookies.get(sessionCookie);
    if (!session || !nonces.has(session)) {
      session = randomBytes(16).toString("hex");
      nonces.set(session, undefined);
      setCookies.push(`${sessionCookie}=${session}; path=/; Secure; HttpOnly; SameSite=None`);
    }
    const verifyNonce = (nonce: string | null) => nonce !== null && nonce !== "" && nonces.get(session) === nonce;
    const send = (html: string) => {
      response
        .writeHead(200, {
          "content-type": "text/html; charset=utf-8",
          "set-cookie": setCookies,
          "cache-control": "no-store",
        })
        .end(html);
    };

    if (doNotTrack(request)) {
      send(
        optOutPage(
          query,
          "<p>You are not being tracked since your browser is reporting that you do not want to. This is a setting of your browser so you won't be able to opt-in until you disable the 'Do Not Track' feature.</p>",
        ),
      );
      return;
    }

    let trackVisits = cookies.get(ignoreCookie) !== ignoreValue;
    if (query.get("setCookieInNewWindow") === "1") {
      // The popup's first step: reload with the nonce, or with none where it is no longer valid.
      let nonce = query.get("nonce") ?? "";
      if (!verifyNonce(nonce)) {
        nonces.set(session, undefined);
        nonce = "";
      }
      const reload = new URLSearchParams(query);
      reload.set("showConfirmOnly", "1");
      reload.set("setCookieInNewWindow", "0");
      reload.set("nonce", nonce);
      send(optOutPage(query, "", `<meta http-equiv="refresh" content="0; url=?${escape(reload.toString())}">`));
      return;
    }
    if (verifyNonce(query.get("nonce"))) {
      nonces.set(session, undefined);
      // Toggles: sets the ignore cookie, or deletes it where it is there.
      setCookies.push(
        trackVisits
          ? `${ignoreCookie}=${ignoreValue}; Max-Age=${thirtyYears}; path=/; Secure; SameSite=None`
          : `${ignoreCookie}=deleted; Max-Age=0; path=/; Secure; SameSite=None`,
      );
      trackVisits = !trackVisits;
    }
    const nonce = nonces.get(session) ?? randomBytes(16).toString("hex");
    nonces.set(session, nonce);
    const formQuery = new URLSearchParams(query);
    for (const name of ["showConfirmOnly", "time"]) formQuery.delete(name);
    formQuery.set("setCookieInNewWindow", "1");
    formQuery.set("nonce", nonce);

    if (query.get("showConfirmOnly") === "1") {
      // The popup's last step: hand the frame that opened it the next nonce, and close.
      send(
        optOutPage(
          query,
          `<p>Opting you out, please wait...</p><script data-nonce="${escape(nonce)}">${confirmScript}</script>`,
        ),
      );
      return;
    }
    const hidden = ' style="display:none"';
    send(
      optOutPage(
        query,
        `<p id="textOptIn"${trackVisits ? hidden : ""}>You have been opted out. Your visits to this website will not be recorded by the Web Analytics tool. Note: If you clear your cookies, delete the opt-out cookie, or if you change computers or Web browsers, you will need to perform the opt-out procedure again.</p>
<p id="textOptOut"${trackVisits ? "" : hidden}>You may choose to prevent this website from aggregating and analyzing the actions you take here. Doing so will protect your privacy, but will also prevent the owner from learning from your actions and creating a better experience for you and other users.</p>
<p id="textError_https"${hidden}>The opt out feature may not work because this site was not loaded over HTTPS. Please reload the page to check if your opt out worked.</p>
<p id="textError_popupBlocker"${hidden}>The tracking opt-out feature may not work because it looks like the opt out popup was blocked. To check if your opt out worked please check the status below.</p>
<form method="post" action="?${escape(formQuery.toString())}" target="_blank"><input type="hidden" name="nonce" value="${nonce}"><input type="checkbox" id="trackVisits" name="trackVisits"${trackVisits ? " checked" : ""}>
<label for="trackVisits"><strong><span id="labelOptOut"${trackVisits ? "" : hidden}>You are not opted out. Uncheck this box to opt-out.</span><span id="labelOptIn"${trackVisits ? hidden : ""}>You are currently opted out. Check this box to opt-in.</span></strong></label></form>
<script src="/plugins/CoreAdminHome/javascripts/optOut.js"></script>`,
      ),
    );
  }

  return function handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? "/", "https://matomo.invalid");
    if (
      url.pathname === "/index.php" &&
      url.searchParams.get("module") === "CoreAdminHome" &&
      url.searchParams.get("action") === "optOut"
    ) {
      optOut(request, response, url.searchParams);
    } else if (url.pathname === "/matomo.js") {
      // Cacheable for an hour, as a Matomo server's static files usually are: a visitor's next page takes it from the cache.
      response
        .writeHead(200, {
          "content-type": "application/javascript; charset=utf-8",
          "cache-control": "public, max-age=3600",
        })
        .end(trackerLibrary);
    } else if (url.pathname === "/plugins/CoreAdminHome/javascripts/optOut.js") {
      response.writeHead(200, { "content-type": "application/javascript; charset=utf-8" }).end(optOutScript);
    } else if (url.pathname === "/matomo.php") {
      const excluded = cookiesOf(request).get(ignoreCookie) === ignoreValue || doNotTrack(request);
      const outcome: Outcome = excluded ? "excluded" : "recorded";
      onTracking?.({ url: new URL(request.url ?? "/", "https://matomo.invalid"), outcome });
      response
        .writeHead(200, { "content-type": "image/gif", [outcomeHeader]: outcome, "cache-control": "no-store" })
        .end(transparentGif);
    } else {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not a Matomo URL");
    }
  };
}
