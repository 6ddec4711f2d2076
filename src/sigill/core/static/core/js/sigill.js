// Sigill's small amount of script. No inline script anywhere (Content-Security-Policy).
// Every page works without it; it only adds conveniences.
(function () {
  "use strict";

  // Ask before a destructive action (revoking a role, ...). The button carries the question.
  document.addEventListener("submit", function (event) {
    var question = event.submitter && event.submitter.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // htmx: send the CSRF token with every request it makes.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("meta[name=csrf-token]");
    if (token) {
      event.detail.headers["X-CSRFToken"] = token.content;
    }
  });
})();
