// The header's menus (the phone's "Menu", the laptop's "Account") are <details> and work
// without this script; it only closes an open one with Escape (focus back on its button)
// or with a click outside it, as people expect of a menu.
document.addEventListener("DOMContentLoaded", () => {
  const menus = [...document.querySelectorAll(".site-menu, .account-menu")];
  if (menus.length === 0) {
    return;
  }
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") {
      return;
    }
    for (const menu of menus.filter((m) => m.open)) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", (event) => {
    for (const menu of menus.filter((m) => m.open && !m.contains(event.target))) {
      menu.open = false;
    }
  });
});
