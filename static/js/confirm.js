// Ask before destructive form posts (forms carrying data-confirm: unpublish, delete,
// withdraw, revoke …). Without JavaScript the post simply happens, which is what the
// button says (see docs/features.md, "Asking first"); the server answers a second post
// of the same action calmly, so a double click acts once.
// The kit's post_button macro loads this file with every such button, so a page may
// load it more than once: it binds each form only once.
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    if (form.hasAttribute("data-confirm-bound")) { return; }
    form.setAttribute("data-confirm-bound", "");
    form.addEventListener("submit", function (event) {
      if (form.hasAttribute("data-submitted")) { event.preventDefault(); return; }
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); return; }
      form.setAttribute("data-submitted", "");
    });
  });
  // Back to this page from the browser's cache: its forms may be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      form.removeAttribute("data-submitted");
    });
  });
})();
