// The header's menu is a <details> and works without this script; the script only
// closes it with Escape (focus back on the menu button) or a click outside it.
document.addEventListener("DOMContentLoaded", () => {
  const menu = document.querySelector(".site-menu");
  if (!menu) {
    return;
  }
  const summary = menu.querySelector("summary");
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      summary.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target)) {
      menu.open = false;
    }
  });
});
