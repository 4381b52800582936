// Progressive enhancement only: every page works without this file.
// Feature apps ship their own small scripts beside their templates.
document.documentElement.classList.add("js");

// Move focus to the error summary so screen reader users hear what went wrong (GOV.UK pattern).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});

// A panel that waits behind a disclosure button on small screens (the finder's
// «Filtrer»). The template renders the button hidden, so without this script the
// panel is simply shown; the CSS decides which screens collapse the panel and hides
// the button elsewhere, so the breakpoint lives in one place (site.css).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button[data-small-screen-toggle]").forEach((button) => {
    const panel = document.getElementById(button.getAttribute("aria-controls"));
    if (!panel) return;
    const setOpen = (open) => {
      button.setAttribute("aria-expanded", String(open));
      panel.toggleAttribute("data-collapsed", !open);
    };
    // A link to something inside the panel (an error summary, a shared URL) opens it.
    const openForTarget = () => {
      const id = decodeURIComponent(window.location.hash.slice(1));
      const target = id && document.getElementById(id);
      if (target && panel.contains(target)) setOpen(true);
    };
    setOpen(panel.hasAttribute("data-start-open"));
    openForTarget();
    window.addEventListener("hashchange", openForTarget);
    button.hidden = false;
    button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  });
});
