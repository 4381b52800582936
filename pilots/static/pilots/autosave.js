// Autosave for answer pages (progressive enhancement: without JavaScript the
// "Lagre" buttons do the same). Posts the whole form to the same URL with the
// header X-Autosave: 1 a moment after the user stops typing. The server saves every
// valid answer and names the malformed ones, which keep their saved value; they are
// marked next to the field here and named in the status message. If someone else
// has saved a conflicting value in between, nothing is overwritten and the user is
// told which fields, with what they typed still in the form.
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
    let edits = 0;

    function show(text, kind) {
      status.textContent = text;
      status.dataset.kind = kind || "";
    }

    // The message next to a field, as the server renders it (includes/field.html).
    function markInvalid(id, message) {
      const input = document.getElementById(id);
      if (!input) return;
      const errorId = id + "-error";
      let error = document.getElementById(errorId);
      if (!error) {
        error = document.createElement("div");
        error.className = "ds-validation-message";
        error.dataset.color = "danger";
        error.id = errorId;
        error.dataset.autosaveError = "";
        input.parentNode.insertBefore(error, input);
      }
      error.textContent = message;
      input.setAttribute("aria-invalid", "true");
      const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (!described.includes(errorId)) described.push(errorId);
      input.setAttribute("aria-describedby", described.join(" "));
      input.closest(".ds-field")?.classList.add("field--error");
    }

    function clearMarks(keep) {
      form.querySelectorAll("[data-autosave-error]").forEach((error) => {
        const id = error.id.replace(/-error$/, "");
        if (keep.has(id)) return;
        const input = document.getElementById(id);
        if (input) {
          input.removeAttribute("aria-invalid");
          const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((d) => d && d !== error.id);
          if (described.length) input.setAttribute("aria-describedby", described.join(" "));
          else input.removeAttribute("aria-describedby");
          input.closest(".ds-field")?.classList.remove("field--error");
        }
        error.remove();
      });
    }

    async function save() {
      if (stopped) return;
      if (saving) { pending = true; return; }
      saving = true;
      const editsAtStart = edits;
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
          const baseline = form.querySelector("input[name=baseline]");
          if (baseline && result.baseline) baseline.value = result.baseline;
          const invalid = result.invalid || [];
          clearMarks(new Set(invalid.map((field) => field.id)));
          invalid.forEach((field) => markInvalid(field.id, field.message));
          if (invalid.length) {
            const names = invalid.map((field) => "«" + field.label + "»").join(", ");
            show(interpolate(gettext("Lagret kl. %(time)s, unntatt %(names)s: %(messages)s"),
                             {time: result.saved_at, names: names, messages: invalid.map((field) => field.message).join(" ")},
                             true), "error");
          } else {
            show(interpolate(gettext("Lagret kl. %s"), [result.saved_at]), "saved");
            if (edits === editsAtStart) delete form.dataset.unsaved;
          }
        } else if (result.conflict) {
          stopped = true;
          const fields = (result.fields || []).map((field) => "«" + field.label + "»").join(", ");
          show(result.message + (fields ? " " + interpolate(gettext("Gjelder %s."), [fields]) : "") +
               " " + gettext("Trykk «Lagre og fortsett» for å se begge verdiene og velge hva du vil beholde."), "conflict");
        } else {
          show(result.message || gettext("Ikke lagret."), "error");
        }
      } catch (error) {
        show(gettext("Ikke lagret: fikk ikke kontakt med serveren. Det du skriver, er fortsatt her."), "error");
      } finally {
        saving = false;
        if (pending) { pending = false; save(); }
      }
    }

    form.addEventListener("input", () => {
      edits += 1;
      if (stopped) return;
      clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
    });
    form.addEventListener("submit", () => { stopped = true; clearTimeout(timer); });
  }

  document.querySelectorAll("form[data-autosave]").forEach(setup);
})();
