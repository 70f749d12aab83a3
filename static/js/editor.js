// Live preview for the story editor. The form works without this script; with it, the
// preview pane shows the server's own sanitized rendering while the author types.
(function () {
  "use strict";
  var form = document.querySelector("form.story-editor");
  if (!form) { return; }
  document.documentElement.classList.add("js");
  var body = form.querySelector("textarea[name=body]");
  var preview = document.getElementById("preview");
  var token = document.querySelector("meta[name=csrf-token]").getAttribute("content");
  var url = form.getAttribute("data-preview-url");
  var timer = null;
  var latest = 0;

  function render() {
    var requestId = ++latest;
    var data = new FormData();
    data.append("body", body.value);
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      return response.json();
    }).then(function (result) {
      if (requestId !== latest) { return; }  // a newer keystroke already asked
      if (result.html !== undefined) {
        preview.innerHTML = result.html;  // sanitized by the server's allowlist
        preview.removeAttribute("data-state");
      } else {
        preview.textContent = result.error || "";
        preview.setAttribute("data-state", "error");
      }
    }).catch(function () {
      preview.setAttribute("data-state", "offline");
    });
  }

  // After a failed submit (or an edit) the pane may show nothing or stale HTML: catch up.
  if (body.value.trim()) { render(); }

  body.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(render, 250);
  });

  var frameButton = document.getElementById("insert-frame");
  if (frameButton) {
    frameButton.addEventListener("click", function () {
      var frame = frameButton.getAttribute("data-frame");
      body.value = body.value.trim() ? body.value.replace(/\s*$/, "\n\n") + frame : frame;
      body.focus();
      render();
    });
  }
})();
