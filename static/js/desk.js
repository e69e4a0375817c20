// The desk's own behaviour. Loaded as a file: the Content-Security-Policy forbids inline script.
// htmx replaces parts of the page (the key-points panel); a keyboard user must not lose their
// place when that happens, so focus returns to the control with the same id after a swap.
(function () {
  "use strict";
  // Settle at once: htmx wires up a swapped-in panel's forms when it settles (20 ms later by
  // default, for CSS transitions the desk does not use). In that gap a quick keyboard user's
  // Enter submitted the form without htmx: a full page load, and their place on the page lost.
  htmx.config.defaultSettleDelay = 0;

  var focusedId = null;

  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focusedId = active && active.id ? active.id : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    var wanted = focusedId;
    focusedId = null;
    // Only where the swap lost focus: a user who has already moved on keeps their new place.
    var active = document.activeElement;
    if (!wanted || (active && active !== document.body)) return;
    var again = document.getElementById(wanted);
    // A control that is disabled, or hidden (in a closed <details>), cannot take focus.
    if (again && !again.disabled && again.getClientRects().length) {
      again.focus();
      return;
    }
    var heading = document.getElementById("kp-heading");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });

  // A failed request (server down, 403) must be visible, not silent.
  document.addEventListener("htmx:responseError", function (event) {
    var target = event.detail.target;
    if (!target) return;
    // A <select> (search as you type) cannot hold a message: put it beside the list instead.
    if (target.tagName === "SELECT") target = target.parentNode;
    var note = document.createElement("p");
    note.className = "message message-error";
    note.setAttribute("role", "alert");
    note.textContent = "That did not work (" + event.detail.xhr.status + "). Reload the page and try again.";
    target.insertBefore(note, target.firstChild);
  });
})();
