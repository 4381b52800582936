// Solves the sign-up form's proof-of-work challenge (ALTCHA v1, as created by the
// `altcha` package in newsletter/proof.py) off the main thread: find the number n
// with SHA-256(salt + n) === challenge.
self.onmessage = async (event) => {
  const { challenge, salt, maxNumber } = event.data;
  const encoder = new TextEncoder();
  for (let n = 0; n <= maxNumber; n++) {
    const digest = await crypto.subtle.digest("SHA-256", encoder.encode(salt + n));
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    if (hex === challenge) {
      self.postMessage({ number: n });
      return;
    }
  }
  self.postMessage({ number: null });
};
