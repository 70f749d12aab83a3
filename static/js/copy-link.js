// The receipt's "Copy" button for the private link. Without JavaScript the button stays
// hidden and the link is plain selectable text; with it, one tap copies the link and the
// live region says so to screen readers.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field || !status) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { status.textContent = button.getAttribute("data-copied"); };
      var failed = function () {
        field.focus();
        field.select();
        status.textContent = button.getAttribute("data-copy-failed");
      };
      status.textContent = "";
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, failed);
      } else {
        field.focus();
        field.select();
        try { if (document.execCommand("copy")) { done(); } else { failed(); } } catch (e) { failed(); }
      }
    });
  });
})();
