// A searchable municipality picker on top of each select[data-municipality-picker]
// (ARIA 1.2 combobox with a listbox popup). Typing filters by every name of a
// municipality (Norwegian, Sami, Kven) and its number, so «Tana» finds
// «Deatnu - Tana». Arrow keys move, Enter chooses, Escape closes. The select stays
// in the form and carries the value, so without JavaScript it works as before.
(() => {
  const MAX_SHOWN = 50;

  function normalise(text) {
    return text.toLocaleLowerCase("nb").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function setup(select, index) {
    const label = document.querySelector('label[for="' + select.id + '"]');
    const options = Array.from(select.options)
      .filter((option) => option.value)
      .map((option) => ({
        value: option.value,
        text: option.textContent.trim(),
        search: normalise((option.dataset.search || "") + " " + option.textContent),
      }));
    const emptyText = Array.from(select.options).find((option) => !option.value)?.textContent.trim() || "";

    const wrapper = document.createElement("div");
    wrapper.className = "pilots-combobox";
    const input = document.createElement("input");
    input.type = "text";
    input.className = "ds-input";
    input.id = select.id + "-sok";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    const listbox = document.createElement("ul");
    listbox.id = select.id + "-forslag";
    listbox.className = "pilots-combobox__list";
    listbox.setAttribute("role", "listbox");
    listbox.hidden = true;
    input.setAttribute("aria-controls", listbox.id);
    const hint = document.createElement("div");
    hint.id = select.id + "-sokehjelp";
    hint.dataset.field = "description";
    hint.textContent = gettext("Skriv navnet på kommunen, på norsk, samisk eller kvensk, eller kommunenummeret. " +
      "Velg med piltastene og Enter.") + (emptyText ? " " + interpolate(gettext("Tomt felt betyr «%s»."), [emptyText]) : "");
    const live = document.createElement("p");
    live.className = "ds-sr-only";
    live.setAttribute("aria-live", "polite");
    const described = [hint.id, select.getAttribute("aria-describedby")].filter(Boolean).join(" ");
    input.setAttribute("aria-describedby", described);
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));
    if (label) {
      label.htmlFor = input.id;
      listbox.setAttribute("aria-label", interpolate(gettext("Forslag til %s"), [label.textContent.trim().toLowerCase()]));
    }

    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.insertAdjacentElement("beforebegin", wrapper);
    wrapper.append(hint, input, listbox, live);
    wrapper.appendChild(select);

    // The error summary links to the field: send its links to the search field.
    document.querySelectorAll('a[href="#' + select.id + '"]').forEach((link) => {
      link.addEventListener("click", (event) => { event.preventDefault(); input.focus(); });
    });

    const chosen = () => options.find((option) => option.value === select.value);
    input.value = chosen()?.text || "";
    let shown = [];
    let active = -1;
    let announceTimer = null;

    function matches(query) {
      const words = normalise(query).split(/[\s-]+/).filter(Boolean);
      if (!words.length) return options.slice();
      const found = options.filter((option) => words.every((word) => option.search.includes(word)));
      const first = words[0];
      const starts = (option) => option.search.split(/[\s-]+/).some((name) => name.startsWith(first));
      return found.filter(starts).concat(found.filter((option) => !starts(option)));
    }

    function render() {
      listbox.replaceChildren();
      shown.slice(0, MAX_SHOWN).forEach((option, n) => {
        const item = document.createElement("li");
        item.id = listbox.id + "-" + n;
        item.setAttribute("role", "option");
        item.className = "pilots-combobox__option";
        item.textContent = option.text;
        item.setAttribute("aria-selected", n === active ? "true" : "false");
        item.addEventListener("mousedown", (event) => event.preventDefault());
        item.addEventListener("click", () => choose(option));
        listbox.appendChild(item);
      });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", listbox.id + "-" + active);
        document.getElementById(listbox.id + "-" + active)?.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      shown = matches(input.value);
      active = -1;
      listbox.hidden = shown.length === 0;
      input.setAttribute("aria-expanded", listbox.hidden ? "false" : "true");
      render();
      clearTimeout(announceTimer);
      announceTimer = setTimeout(() => {
        live.textContent = shown.length === 0 ? gettext("Ingen kommuner passer.")
          : shown.length > MAX_SHOWN ? interpolate(gettext("%(count)s kommuner passer, de %(shown)s første vises."),
                                                   {count: shown.length, shown: MAX_SHOWN}, true)
          : interpolate(ngettext("%s kommune passer.", "%s kommuner passer.", shown.length), [shown.length]);
      }, 500);
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(option) {
      select.value = option ? option.value : "";
      select.dispatchEvent(new Event("change", { bubbles: true }));
      input.value = option ? option.text : "";
      close();
      live.textContent = option ? interpolate(gettext("%s er valgt."), [option.text]) : "";
    }

    input.addEventListener("input", () => {
      if (!input.value.trim()) choose(null);
      open();
    });
    input.addEventListener("keydown", (event) => {
      const count = Math.min(shown.length, MAX_SHOWN);
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (listbox.hidden) { open(); }
        if (count) { active = (active + 1) % count; render(); }
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (count) { active = active <= 0 ? count - 1 : active - 1; render(); }
      } else if (event.key === "Enter") {
        if (!listbox.hidden && active >= 0) {
          event.preventDefault();  // choosing is not submitting
          choose(shown[active]);
        }
      } else if (event.key === "Escape") {
        if (!listbox.hidden) { event.preventDefault(); close(); }
      }
    });
    input.addEventListener("blur", () => {
      close();
      const current = chosen();
      if (current && input.value === current.text) return;
      const found = input.value.trim() ? matches(input.value) : [];
      if (found.length === 1) choose(found[0]);
      else if (!input.value.trim()) choose(null);
      else input.value = current?.text || "";  // an unfinished search never changes the answer
    });
  }

  document.querySelectorAll("select[data-municipality-picker]").forEach(setup);
})();
