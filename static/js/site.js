// Progressive enhancement only: every page works without this file.
// Feature apps ship their own small scripts beside their templates.
document.documentElement.classList.add("js");

// Move focus to the error summary so screen reader users hear what went wrong (GOV.UK pattern).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
