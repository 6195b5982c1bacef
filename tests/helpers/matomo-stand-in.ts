// A local stand-in for Matomo, so the browser tests load the real opt-out
// frame and tracker without the network. Its opt-out page follows Matomo's
// own (its text, a checkbox form, the fontSize and fontFamily it is given).
import type { Route } from "playwright-core";

export interface MatomoStandIn {
  /** Every URL the page asked Matomo for. */
  requests: string[];
  handle(route: Route): Promise<void>;
}

const optOutPage = (query: URLSearchParams) => `<!doctype html>
<html lang="${query.get("language") ?? "en"}"><head><meta charset="utf-8"><title>Opt-out</title>
<style>body{font-size:${query.get("fontSize") ?? "16px"};font-family:${query.get("fontFamily") ?? "sans-serif"};margin:8px}</style></head>
<body><p>You may choose to prevent this website from aggregating and analyzing the actions you take here.
Doing so will protect your privacy, but will also prevent the owner from learning from your actions and creating a better experience for you and other users.</p>
<form><p><input type="checkbox" id="trackVisits" checked> <label for="trackVisits"><strong>You are not opted out. Uncheck this box to opt-out.</strong></label></p></form>
</body></html>`;

// Runs the queued commands and sends the page view, as matomo.js does.
const trackerLibrary = `(function () {
  var settings = {}, queue = window._paq || [];
  function run(command) {
    settings[command[0]] = command.slice(1);
    if (command[0] === "trackPageView") {
      navigator.sendBeacon(settings.setTrackerUrl[0] + "?idsite=" + settings.setSiteId[0] + "&rec=1&cookie=" + !settings.disableCookies);
    }
  }
  window._paq = { push: function () { for (var i = 0; i < arguments.length; i++) run(arguments[i]); } };
  for (var i = 0; i < queue.length; i++) run(queue[i]);
})();`;

export function matomoStandIn(): MatomoStandIn {
  const requests: string[] = [];
  return {
    requests,
    async handle(route) {
      const url = new URL(route.request().url());
      requests.push(url.href);
      if (url.pathname === "/index.php" && url.searchParams.get("action") === "optOut") {
        await route.fulfill({ contentType: "text/html; charset=utf-8", body: optOutPage(url.searchParams) });
      } else if (url.pathname === "/matomo.js") {
        await route.fulfill({ contentType: "text/javascript", body: trackerLibrary });
      } else if (url.pathname === "/matomo.php") {
        await route.fulfill({ status: 204 });
      } else {
        await route.fulfill({ status: 404, body: "Not a Matomo URL" });
      }
    },
  };
}
