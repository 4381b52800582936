// Autosave for answer pages (progressive enhancement: without JavaScript the
// "Lagre" buttons do the same). Posts the whole form to the same URL with the
// header X-Autosave: 1 a moment after the user stops typing. The server checks the
// form's version: if someone else has saved in between, nothing is overwritten and
// the user is told, with what they typed still in the form.
(() => {
  const DELAY_MS = 1500;

  function setup(form) {
    const status = form.querySelector("[data-autosave-status]");
    const version = form.querySelector("input[name=version]");
    if (!status || !version) return;
    let timer = null;
    let stopped = false;
    let saving = false;
    let pending = false;

    function show(text, kind) {
      status.textContent = text;
      status.dataset.kind = kind || "";
    }

    async function save() {
      if (stopped) return;
      if (saving) { pending = true; return; }
      saving = true;
      const data = new FormData(form);
      data.set("action", "autosave");
      try {
        // form.action would be the buttons named "action", so read the attribute.
        const response = await fetch(form.getAttribute("action") || window.location.href, {
          method: "POST",
          body: data,
          headers: { "X-Autosave": "1" },
          credentials: "same-origin",
        });
        const result = await response.json();
        if (result.saved) {
          version.value = result.version;
          show("Lagret kl. " + result.saved_at, "saved");
        } else if (result.conflict) {
          stopped = true;
          show(result.message + " Trykk «Lagre og fortsett» for å se hva som er endret.", "conflict");
        } else {
          show(result.message || "Ikke lagret.", "error");
        }
      } catch (error) {
        show("Ikke lagret: fikk ikke kontakt med serveren. Det du skriver, er fortsatt her.", "error");
      } finally {
        saving = false;
        if (pending) { pending = false; save(); }
      }
    }

    form.addEventListener("input", () => {
      if (stopped) return;
      clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
    });
    form.addEventListener("submit", () => { stopped = true; clearTimeout(timer); });
  }

  document.querySelectorAll("form[data-autosave]").forEach(setup);
})();
