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

  // The vault: a revealed secret counts down and then removes itself from the page.
  function hideAfter(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("[data-hide-after]").forEach(function (box) {
      if (box.dataset.armed) {
        return;
      }
      box.dataset.armed = "1";
      var left = parseInt(box.getAttribute("data-hide-after"), 10) || 60;
      var counter = box.querySelector("[data-countdown]");
      var timer = window.setInterval(function () {
        left -= 1;
        if (counter) {
          counter.textContent = String(Math.max(left, 0));
        }
        if (left <= 0) {
          window.clearInterval(timer);
          var done = document.createElement("p");
          done.textContent = box.getAttribute("data-hidden-text") || "";
          box.replaceChildren(done);
          box.classList.remove("notice--warning");
        }
      }, 1000);
    });
  }
  hideAfter(document);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    hideAfter(event.target);
  });

  // Copy a revealed value to the clipboard, and tell Sigill so that the copy is audited.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-from]");
    if (button) {
      var source = document.getElementById(button.getAttribute("data-copy-from"));
      if (!source || !navigator.clipboard) {
        return;
      }
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        // Only the vault's reveals are audited when copied; a new API token is not stored anywhere.
        if (button.hasAttribute("data-copy-url")) {
          var token = document.querySelector("meta[name=csrf-token]");
          var body = new URLSearchParams({ reveal: button.getAttribute("data-reveal") });
          fetch(button.getAttribute("data-copy-url"), {
            method: "POST",
            body: body,
            headers: { "X-CSRFToken": token ? token.content : "" },
            credentials: "same-origin",
          });
        }
        button.textContent = button.getAttribute("data-copied-text") || button.textContent;
      });
      return;
    }
    // The password generator: put the suggested password into the form's password field.
    var fill = event.target.closest && event.target.closest("[data-fill-from]");
    if (fill) {
      var from = document.getElementById(fill.getAttribute("data-fill-from"));
      var into = document.getElementById(fill.getAttribute("data-fill-into"));
      if (from && into) {
        into.value = from.textContent.trim();
        into.focus();
      }
    }
  });

  // Moderation: single keys choose a decision (the form lists them in data-shortcuts) and move
  // to the button, so Enter confirms; "j" opens the next comment. Never while typing in a field.
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) {
      return;
    }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      if (!(target.tagName === "INPUT" && target.type === "radio")) {
        return;
      }
    }
    var key = event.key.toLowerCase();
    var link = document.querySelector('[data-shortcut-link="' + key + '"]');
    if (link) {
      event.preventDefault();
      link.click();
      return;
    }
    var form = document.querySelector("form[data-shortcuts]");
    if (!form) {
      return;
    }
    var act = JSON.parse(form.getAttribute("data-shortcuts"))[key];
    var radio = act && form.querySelector('input[name="act"][value="' + act + '"]');
    if (radio) {
      event.preventDefault();
      radio.checked = true;
      var reason = form.querySelector('select[name="reason"]');
      var submit = form.querySelector('button[type="submit"]');
      (["hide", "delete", "block"].indexOf(act) >= 0 && reason ? reason : submit).focus();
    }
  });

  // The publishing calendar: drag a post to another day to move it (same time of day). The
  // "Move" link beside each post is the keyboard and no-script way: a date and time form.
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var post = event.target.closest && event.target.closest("[data-reschedule]");
    if (post) {
      dragged = post;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", post.getAttribute("data-reschedule"));
    }
  });
  document.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest && event.target.closest("td[data-day]")) {
      event.preventDefault();
    }
  });
  document.addEventListener("drop", function (event) {
    var day = dragged && event.target.closest && event.target.closest("td[data-day]");
    if (!day) {
      return;
    }
    event.preventDefault();
    var token = document.querySelector("meta[name=csrf-token]");
    var body = new URLSearchParams();
    body.set("scheduled_at", day.getAttribute("data-day") + "T" + dragged.getAttribute("data-time"));
    dragged = null;
    fetch(event.dataTransfer.getData("text/plain"), {
      method: "POST",
      headers: { "X-CSRFToken": token ? token.content : "" },
      body: body,
      credentials: "same-origin",
    }).then(function () {
      window.location.reload();
    });
  });
})();
