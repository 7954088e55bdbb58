/* Security keys (WebAuthn) for the sign-in pages. No inline script: a button
   [data-webauthn="register"|"authenticate"] names the JSON block holding the server's options;
   the browser's answer goes into the form's hidden "credential" field and the form is sent. */
(function () {
  "use strict";
  if (window.safepassageWebauthn) { return; }
  window.safepassageWebauthn = true;

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) { return null; }
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function readOptions(button) {
    var node = document.getElementById(button.getAttribute("data-options"));
    var options = JSON.parse(node.textContent);
    return typeof options === "string" ? JSON.parse(options) : options;
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function register(options) {
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    options.excludeCredentials = descriptors(options.excludeCredentials);
    return navigator.credentials.create({ publicKey: options }).then(function (credential) {
      var response = credential.response;
      return {
        id: credential.id,
        rawId: toText(credential.rawId),
        type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment || undefined,
        clientExtensionResults: credential.getClientExtensionResults(),
        response: {
          clientDataJSON: toText(response.clientDataJSON),
          attestationObject: toText(response.attestationObject),
          transports: response.getTransports ? response.getTransports() : []
        }
      };
    });
  }

  function authenticate(options) {
    options.challenge = toBytes(options.challenge);
    options.allowCredentials = descriptors(options.allowCredentials);
    return navigator.credentials.get({ publicKey: options }).then(function (credential) {
      var response = credential.response;
      return {
        id: credential.id,
        rawId: toText(credential.rawId),
        type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment || undefined,
        clientExtensionResults: credential.getClientExtensionResults(),
        response: {
          clientDataJSON: toText(response.clientDataJSON),
          authenticatorData: toText(response.authenticatorData),
          signature: toText(response.signature),
          userHandle: toText(response.userHandle)
        }
      };
    });
  }

  function showError(form, shown) {
    var node = form.querySelector("[data-webauthn-error]");
    if (node) { node.hidden = !shown; }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-webauthn]") : null;
    if (!button) { return; }
    event.preventDefault();
    var form = button.closest("form");
    var ceremony = button.getAttribute("data-webauthn") === "register" ? register : authenticate;
    showError(form, false);
    button.disabled = true;
    ceremony(readOptions(button)).then(function (answer) {
      form.querySelector("input[name=credential]").value = JSON.stringify(answer);
      // The answer replaces a typed code: the form is sent without the code's checks.
      form.submit();
    }).catch(function () {
      button.disabled = false;
      showError(form, true);
    });
  });

  function hideUnsupported() {
    if (window.PublicKeyCredential) { return; }
    document.querySelectorAll("[data-webauthn]").forEach(function (button) {
      button.hidden = true;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", hideUnsupported);
  } else {
    hideUnsupported();
  }
})();
