// Secrets the server shows only once (a new access token, a password an admin set): generated
// in the browser when asked, shown with a Copy button and the warning that they will not be
// shown again. Only the lazily loaded screens use this module, so it is not on the first page.
import { h } from "./dom.js";
import { copyText } from "./download.js";

// No look-alikes (0/O, 1/l/I): the password may be read aloud or typed from a screen.
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.+!";

/** A password from crypto.getRandomValues, 24 characters (about 143 bits) by default. */
export function generatePassword(length = 24) {
  // Rejection sampling: bytes at or above the largest multiple of the alphabet's size are
  // dropped, so that every character is equally likely.
  const limit = 256 - (256 % ALPHABET.length);
  let password = "";
  while (password.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && password.length < length) password += ALPHABET[byte % ALPHABET.length];
    }
  }
  return password;
}

/** A "Copy …" button with its own status line ("Copied."), for any text. */
export function copyButton(label, text) {
  const status = h("span", { class: "copy-status", role: "status" });
  const button = h("button", { type: "button", class: "secondary" }, label);
  button.addEventListener("click", async () => {
    status.textContent = "";
    status.textContent = (await copyText(typeof text === "function" ? text() : text))
      ? "Copied." : "Copying failed: select the text and copy it.";
  });
  return { button, status };
}

/**
 * The box that shows a secret once: `label` names it ("New token"), `note` says what to do with
 * it. Focus moves to its Copy button, so a keyboard user is where the next step is.
 */
export function secretBox({ id, label, secret, note, copyLabel }) {
  const { button, status } = copyButton(copyLabel, secret);
  const box = h("div", { class: "secret-box", id, role: "group", "aria-labelledby": `${id}-label` },
    h("p", { id: `${id}-label`, class: "secret-label" }, label),
    h("p", {}, h("code", { class: "secret", id: `${id}-value` }, secret)),
    h("div", { class: "actions" }, button, status),
    h("p", { class: "secret-note" }, note));
  queueMicrotask(() => {
    if (box.isConnected) button.focus();
  });
  return box;
}
