// The main menu's «Meny» button on small screens (a disclosure: aria-expanded on the
// button, the list shown or hidden). Without this script the list is always shown.
(() => {
  const nav = document.querySelector("[data-main-nav]");
  const button = nav && nav.querySelector("[data-main-nav-toggle]");
  if (!button) return;
  const setOpen = (open) => button.setAttribute("aria-expanded", String(open));
  nav.classList.add("main-nav--collapsible");
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  // Escape closes the open menu and gives focus back to the button.
  nav.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
