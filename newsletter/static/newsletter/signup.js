// Progressive enhancement for the newsletter sign-up form: solve the proof-of-work
// challenge in a Web Worker and put the solution in the hidden "proof" field, as the
// base64 JSON payload ALTCHA v1 defines (newsletter/proof.py verifies it).
// Without this script the form still works (with stricter rate limits).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-pow-challenge]");
  if (!form || !window.Worker || !window.crypto || !crypto.subtle) return;
  const proof = form.querySelector("input[name=proof]");
  const status = form.querySelector("[data-pow-status]");
  const challenge = JSON.parse(form.dataset.powChallenge);
  let solved = false;
  let submitWhenSolved = false;

  const worker = new Worker(form.dataset.powWorker);
  const fallback = form.querySelector("[data-pow-fallback]");
  if (fallback) fallback.hidden = true;
  worker.onmessage = (event) => {
    if (event.data.number !== null) {
      const payload = {
        algorithm: challenge.algorithm,
        challenge: challenge.challenge,
        number: event.data.number,
        salt: challenge.salt,
        signature: challenge.signature,
      };
      proof.value = btoa(JSON.stringify(payload));
    }
    solved = true;
    worker.terminate();
    if (submitWhenSolved) {
      status.textContent = "";
      form.submit();
    }
  };
  worker.postMessage(challenge);

  form.addEventListener("submit", (event) => {
    if (solved) return;
    event.preventDefault();
    submitWhenSolved = true;
    status.textContent = "Et øyeblikk, vi sjekker at du ikke er en robot …";
  });
});
