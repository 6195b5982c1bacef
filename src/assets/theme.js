// @ts-check
// The portal's light and dark themes, shared by every page of the portal
// through localStorage "bsTheme" ("light" or "dark"): a stored choice
// decides, otherwise the system's preference. Loaded in <head> without
// defer, so the theme is set before the first paint; the data-bs-theme it
// sets also shows the Theme control (style.css), only where a script can work
// it, and before the first paint, so the header's links never move.
//
// Matomo's opt-out frame follows the theme too, and the system's request for
// more contrast: the page gives its light and dark URLs, and those with more
// contrast, on a placeholder, and this script puts one frame in, with the
// theme's URL, so the frame loads once. Without JavaScript the placeholder's
// <noscript> frame, the light one, shows instead. Once the page is being left
// (beforeunload), the frame stays as it is: a theme change then (Chromium
// reported one to a page being reloaded, after Matomo's popup) would load
// the frame again for a page no one sees, and Matomo would count it.
(function () {
  "use strict";
  var key = "bsTheme";
  var root = document.documentElement;
  var dark = window.matchMedia("(prefers-color-scheme: dark)");
  var moreContrast = window.matchMedia("(prefers-contrast: more)");
  /** @type {string | null} */
  var stored = null;
  try { stored = localStorage.getItem(key); } catch (error) { /* storage blocked: follow the system */ }

  function theme() { return stored === "light" || stored === "dark" ? stored : dark.matches ? "dark" : "light"; }

  var leaving = false;
  window.addEventListener("beforeunload", function () { leaving = true; });
  // Back from the back/forward cache; a click on the Theme control also counts (a navigation may not have happened).
  window.addEventListener("pageshow", function () { leaving = false; });

  /** Puts the opt-out frame in its placeholder, or points it at the theme's URL. */
  function showOptOutFrame() {
    var placeholder = document.querySelector("[data-opt-out-frame]");
    if (!(placeholder instanceof HTMLElement) || leaving) return;
    var src = placeholder.getAttribute("data-src-" + theme() + (moreContrast.matches ? "-more" : "")) || "";
    var frame = placeholder.querySelector("iframe");
    if (!frame) {
      frame = document.createElement("iframe");
      frame.id = "matoOpOut";
      frame.title = placeholder.getAttribute("data-title") || "";
      frame.src = src;
      placeholder.appendChild(frame);
    } else if (frame.getAttribute("src") !== src) {
      frame.src = src;
    }
  }

  function apply() {
    root.setAttribute("data-bs-theme", theme());
    var buttons = document.querySelectorAll("[data-theme-value]");
    for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-theme-value") === theme()));
    if (document.readyState !== "loading") showOptOutFrame();
  }
  apply();
  dark.addEventListener("change", apply);
  moreContrast.addEventListener("change", apply);
  // A choice made on another portal page, in another tab.
  window.addEventListener("storage", function (event) {
    if (event.key === key) { stored = event.newValue; apply(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.addEventListener("click", function (event) {
      var button = event.target instanceof Element && event.target.closest("[data-theme-value]");
      if (!button) return;
      stored = button.getAttribute("data-theme-value");
      leaving = false;
      try { localStorage.setItem(key, stored || ""); } catch (error) { /* the choice lasts for this page only */ }
      apply();
    });
    apply();
  });
})();
