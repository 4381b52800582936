// Case handling in the Wagtail admin: after a refused action the page comes back with
// the refusal next to the control that caused it; move focus there, so keyboard and
// screen reader users land on it and it is scrolled into view.
document.addEventListener("DOMContentLoaded", () => {
  const target = document.querySelector("[data-pilots-focus]");
  if (target) {
    target.focus();
    target.scrollIntoView({ block: "center" });
  }
});
