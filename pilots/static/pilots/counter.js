// Character count for text areas with data-counter, as GOV.UK's character count:
// typing past the limit is allowed and told («Du har 120 tegn for mye»), the text is
// never cut, and the server refuses an over-long answer with a message, keeping it.
(() => {
  // The words come from the portal's JavaScript catalogue (pilots/locale, djangojs).
  function text(remaining) {
    return remaining >= 0
      ? interpolate(gettext("Du har %s tegn igjen"), [remaining])
      : interpolate(gettext("Du har %s tegn for mye"), [-remaining]);
  }
  document.querySelectorAll("textarea[data-counter]").forEach((area) => {
    const limit = parseInt(area.dataset.counter, 10);
    const counter = document.querySelector('[data-counter-for="' + area.id + '"]');
    const live = document.querySelector('[data-counter-live="' + area.id + '"]');
    if (!counter || !limit) return;
    let announceTimer = null;
    function update() {
      const remaining = limit - area.value.length;
      counter.hidden = false;
      counter.dataset.label = text(remaining);
      counter.textContent = "";
      if (remaining < 0) {
        counter.dataset.state = "over";
        counter.dataset.color = "danger";
      } else {
        delete counter.dataset.state;
        delete counter.dataset.color;
      }
      clearTimeout(announceTimer);
      announceTimer = setTimeout(() => { if (live) live.textContent = text(remaining); }, 800);
    }
    area.addEventListener("input", update);
    update();
  });

  // A second click on "Send inn" while the first is on its way does nothing
  // (the server would return the same reference anyway).
  document.querySelectorAll("[data-submit-once]").forEach((button) => {
    button.form.addEventListener("submit", (event) => {
      if (button.dataset.sent) event.preventDefault();
      button.dataset.sent = "1";
    });
  });
})();
