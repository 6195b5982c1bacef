// The stand-in for matomo.js, written for these tests from what Matomo's
// js/piwik.js does (read, not copied): the _paq queue and what happens when
// matomo.js arrives before it is configured, the first-party consent cookies
// (mtm_consent_removed is the one allowed while cookies are disabled), the
// consent methods, and the `message` listener that answers the opt-out frame.
// Browser code: type-checked by scripts/harness/matomo/tsconfig.json, run in Chromium.
(function () {
  "use strict";
  var CONSENT = "mtm_consent";
  var CONSENT_REMOVED = "mtm_consent_removed";
  var THIRTY_YEARS = 30 * 365 * 24 * 60 * 60 * 1000;
  var trackers = [];

  function hostOf(url) {
    var match = /^(?:https?:)?\/*(?:[^@/]+@)?([^:/#?]+)/.exec(url);
    return match ? match[1] : url;
  }

  function Tracker() {
    var self = this;
    var trackerUrl = "";
    var siteId = "";
    var cookiesDisabled = false;
    var doNotTrack = false;
    var consentRequired = false;
    var sentYet = false;
    var waitingForConsent = [];

    // piwik.js: getCookie and setCookie ignore every cookie but mtm_consent_removed while cookies are disabled.
    function getCookie(name) {
      if (cookiesDisabled && name !== CONSENT_REMOVED) return 0;
      var match = new RegExp("(^|;)[ ]*" + name + "=([^;]*)").exec(document.cookie);
      return match ? decodeURIComponent(match[2]) : 0;
    }
    function setCookie(name, value, lifetime) {
      if (cookiesDisabled && name !== CONSENT_REMOVED) return;
      var expires = lifetime ? ";expires=" + new Date(Date.now() + lifetime).toUTCString() : "";
      document.cookie =
        name +
        "=" +
        encodeURIComponent(value) +
        expires +
        ";path=/;SameSite=Lax" +
        (location.protocol === "https:" ? ";secure" : "");
    }
    function deleteCookie(name) {
      document.cookie = name + "=;expires=Thu, 01 Jan 1970 00:00:01 GMT;path=/";
    }
    function visitorCookies() {
      var suffix = "." + siteId + "." + location.hostname.length.toString(16);
      setCookie("_pk_id" + suffix, "0123456789abcdef." + Math.floor(Date.now() / 1000), 13 * 30 * 24 * 60 * 60 * 1000);
      setCookie("_pk_ses" + suffix, "1", 30 * 60 * 1000);
    }
    var hasConsent = !getCookie(CONSENT_REMOVED);

    function send(query) {
      // A choice made in another window counts: the cookies are read again before every request.
      if (getCookie(CONSENT_REMOVED)) hasConsent = false;
      else if (getCookie(CONSENT)) hasConsent = true;
      if (!hasConsent) {
        waitingForConsent.push(query);
        return;
      }
      sentYet = true;
      if (doNotTrack) return;
      if (!cookiesDisabled) visitorCookies();
      var image = new Image(1, 1);
      image.src = trackerUrl + "?" + query + "&idsite=" + encodeURIComponent(siteId) + "&rec=1";
    }

    this.setTrackerUrl = function (url) {
      trackerUrl = url;
    };
    this.setSiteId = function (id) {
      siteId = String(id);
    };
    this.getMatomoUrl = function () {
      return trackerUrl.replace(/matomo\.php$/, "");
    };
    this.disableCookies = function () {
      cookiesDisabled = true;
      if (siteId)
        document.cookie.split(";").forEach(function (pair) {
          var name = pair.split("=")[0].trim();
          if (/^_pk_/.test(name)) deleteCookie(name);
        });
    };
    this.setDoNotTrack = function (enable) {
      doNotTrack = !!enable && (navigator.doNotTrack === "1" || navigator.doNotTrack === "yes");
      if (doNotTrack) self.disableCookies();
    };
    this.trackPageView = function () {
      send("action_name=" + encodeURIComponent(document.title) + "&url=" + encodeURIComponent(location.href));
    };
    this.enableLinkTracking = function () {};
    this.hasConsent = function () {
      return hasConsent;
    };
    this.isConsentRequired = function () {
      return consentRequired;
    };
    this.isUserOptedOut = function () {
      return !hasConsent;
    };
    this.hasRememberedConsent = function () {
      return !getCookie(CONSENT_REMOVED) && !!getCookie(CONSENT);
    };
    this.requireConsent = function () {
      consentRequired = true;
      hasConsent = self.hasRememberedConsent();
      if (!hasConsent) cookiesDisabled = true;
    };
    // Turns cookies on unless the browser sends Do Not Track; with a page view sent, sets the visitor's cookies.
    this.setCookieConsentGiven = function () {
      if (cookiesDisabled && !doNotTrack) {
        cookiesDisabled = false;
        if (siteId && sentYet) {
          visitorCookies();
          send("ping=1");
        }
      }
    };
    this.setConsentGiven = function (setCookieConsent) {
      hasConsent = true;
      deleteCookie(CONSENT_REMOVED);
      var queued = waitingForConsent;
      waitingForConsent = [];
      queued.forEach(send);
      if (setCookieConsent === undefined || setCookieConsent) self.setCookieConsentGiven();
    };
    this.rememberConsentGiven = function () {
      self.setConsentGiven(true);
      setCookie(CONSENT, String(Date.now()), THIRTY_YEARS);
    };
    this.forgetConsentGiven = function () {
      deleteCookie(CONSENT);
      setCookie(CONSENT_REMOVED, String(Date.now()), THIRTY_YEARS);
      self.requireConsent();
    };
    this.optUserOut = this.forgetConsentGiven;
    // Lifts the opt-out without turning cookies on.
    this.forgetUserOptOut = function () {
      self.setConsentGiven(false);
    };
  }

  function apply(command) {
    trackers.forEach(function (tracker) {
      if (typeof command[0] === "function") command[0].apply(tracker, command.slice(1));
      else if (typeof tracker[command[0]] === "function") tracker[command[0]].apply(tracker, command.slice(1));
      else console.error("The method '" + command[0] + '\' was not found in "_paq" variable.');
    });
  }

  // The opt-out frame asks for the page's first-party state (maq_initial_value) and reports a change (maq_opted_in).
  window.addEventListener(
    "message",
    function (event) {
      if (!event || !event.origin) return;
      var originHost = hostOf(event.origin);
      var tracker = trackers.filter(function (t) {
        return hostOf(t.getMatomoUrl()) === originHost;
      })[0];
      if (!tracker) return;
      var data;
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (!data) return;
      function reply(message) {
        var frames = document.getElementsByTagName("iframe");
        for (var i = 0; i < frames.length; i++) {
          if (frames[i].contentWindow && hostOf(frames[i].src) === originHost)
            frames[i].contentWindow.postMessage(JSON.stringify(message), event.origin);
        }
      }
      if (data.maq_initial_value !== undefined) {
        reply({
          maq_opted_in: data.maq_initial_value && tracker.hasConsent(),
          maq_url: tracker.getMatomoUrl(),
          maq_optout_by_default: tracker.isConsentRequired(),
        });
      } else if (data.maq_opted_in !== undefined) {
        trackers.forEach(function (t) {
          if (data.maq_opted_in) t.rememberConsentGiven();
          else t.forgetConsentGiven();
        });
        reply({
          maq_confirm_opted_in: tracker.hasConsent(),
          maq_url: tracker.getMatomoUrl(),
          maq_optout_by_default: tracker.isConsentRequired(),
        });
      }
    },
    false,
  );

  // What matomo.js adds to the page's window; _paq is whatever the page queued (any: commands of every shape).
  var page = /** @type {Window & { Matomo?: object, _paq?: any }} */ (window);
  page.Matomo = {
    getAsyncTrackers: function () {
      return trackers;
    },
  };

  var queue = page._paq;
  if (queue && typeof queue.length === "number" && queue.length) {
    // piwik.js applies the configuration methods first, in this order, then the rest as queued.
    var first = [
      "disableCookies",
      "setTrackerUrl",
      "setSiteId",
      "enableLinkTracking",
      "requireConsent",
      "setConsentGiven",
    ];
    trackers.push(new Tracker());
    var ordered = [];
    first.forEach(function (name) {
      queue.forEach(function (command) {
        if (command[0] === name) ordered.push(command);
      });
    });
    queue.forEach(function (command) {
      if (first.indexOf(command[0]) === -1) ordered.push(command);
    });
    ordered.forEach(apply);
    page._paq = {
      push: function () {
        for (var i = 0; i < arguments.length; i++) apply(arguments[i]);
      },
    };
  } else {
    page._paq = {
      push: function (command) {
        console.error(
          "_paq.push() was used but Matomo tracker was not initialized before the matomo.js file was loaded. Make sure to configure the tracker via _paq.push before loading matomo.js.",
          command,
        );
      },
    };
  }
})();
