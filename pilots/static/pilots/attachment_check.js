// Shows the result of the content check of uploaded attachments without a reload
// (progressive enhancement: without JavaScript, reloading the page shows the same).
// While a row says «Under kontroll», the page is fetched again every few seconds
// and the status and action cells of rows whose status changed are replaced; a
// screen reader hears the outcome through a polite live region.
(() => {
  const table = document.querySelector("table[data-attachment-list][data-checking]");
  if (!table) return;
  const announcer = document.querySelector("[data-check-announcer]");
  const MAX_TRIES = 40;
  let tries = 0;

  function describe(row) {
    const name = row.querySelector("a") ? row.querySelector("a").textContent : gettext("Vedlegget");
    const status = row.querySelector("[data-check-cell] .ds-tag");
    return name + ": " + (status ? status.textContent.trim() : "");
  }

  async function poll() {
    tries += 1;
    let fresh;
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) return schedule();
      fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch (error) {
      return schedule();
    }
    const done = [];
    table.querySelectorAll("tr[data-check='pending']").forEach((row) => {
      const replacement = fresh.getElementById(row.id);
      if (!replacement || replacement.dataset.check === "pending") return;
      row.dataset.check = replacement.dataset.check;
      ["[data-check-cell]", "[data-action-cell]"].forEach((selector) => {
        const cell = row.querySelector(selector);
        const newCell = replacement.querySelector(selector);
        if (cell && newCell) cell.innerHTML = newCell.innerHTML;
      });
      done.push(describe(row));
    });
    if (done.length && announcer) announcer.textContent = done.join(". ");
    if (table.querySelector("tr[data-check='pending']")) schedule();
  }

  function schedule() {
    if (tries < MAX_TRIES) window.setTimeout(poll, Math.min(2000 + tries * 250, 6000));
  }

  schedule();
})();
