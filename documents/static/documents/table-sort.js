// Progressive enhancement: column headers of data tables become sort buttons.
// Without JavaScript the table is still complete and readable in file order.
(() => {
  // "1 234,5" and "12,3 %" sort as numbers; everything else as Norwegian text.
  const asNumber = (text) => {
    const cleaned = text.replace(/[\s\u00a0%]/g, "").replace(",", ".");
    return cleaned !== "" && /^[-+]?\d*\.?\d+$/.test(cleaned) ? Number(cleaned) : null;
  };
  const collator = new Intl.Collator("nb", { numeric: true, sensitivity: "base" });

  const sortTable = (table, columnIndex, direction) => {
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    const keyed = rows.map((row, i) => ({ row, i, text: (row.cells[columnIndex]?.textContent || "").trim() }));
    const numeric = keyed.every((k) => k.text === "" || asNumber(k.text) !== null);
    keyed.sort((a, b) => {
      let result;
      if (numeric) result = (asNumber(a.text) ?? -Infinity) - (asNumber(b.text) ?? -Infinity);
      else result = collator.compare(a.text, b.text);
      return (direction === "ascending" ? result : -result) || a.i - b.i;
    });
    const fragment = document.createDocumentFragment();
    keyed.forEach((k) => fragment.appendChild(k.row));
    body.appendChild(fragment);
  };

  const enhance = (table) => {
    const headers = table.tHead ? Array.from(table.tHead.rows[0].cells) : [];
    headers.forEach((th, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", () => {
        const direction = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        headers.forEach((other) => other.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", direction);
        sortTable(table, index, direction);
      });
    });
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("table[data-sortable]").forEach(enhance);
  });
})();
