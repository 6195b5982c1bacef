// The stand-in for the script Matomo's optOut.twig inlines into the popup's
// last step (read, not copied): it hands the frame that opened the popup the
// next nonce, so the next change sends a valid one, and closes the popup.
// The stand-in inlines it as Matomo does, with the nonce on its script tag.
// Browser code: type-checked by scripts/harness/matomo/tsconfig.json.
(function () {
  var nonce = document.currentScript.getAttribute("data-nonce");
  try {
    var frame = window.opener.document;
    /** @type {HTMLInputElement} */ (frame.querySelector('[name="nonce"]')).value = nonce;
    var form = frame.querySelector("form");
    form.action = form.action.replace(/nonce=[0-9a-z]+/, "nonce=" + nonce);
  } catch (error) {
    // No opener to reach (cut off by the page's opener policy): Matomo's frame then keeps a spent nonce.
  }
  window.close();
})();
