// Warns before leaving a page with changes that are not saved yet (the browser
// shows its own question). A form is "unsaved" from the first change until it is
// submitted, or until autosave has saved everything typed (autosave.js clears it).
(() => {
  const forms = document.querySelectorAll("form[data-unsaved-warning]");
  if (!forms.length) return;
  let submitting = false;
  forms.forEach((form) => {
    const changed = () => { form.dataset.unsaved = "1"; };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", () => { submitting = true; delete form.dataset.unsaved; });
  });
  window.addEventListener("beforeunload", (event) => {
    if (submitting) return;
    if (!document.querySelector("form[data-unsaved-warning][data-unsaved]")) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
