// Progressive enhancement only: every page works without this file.
// Feature apps ship their own small scripts beside their templates.
document.documentElement.classList.add("js");
