// Sign-in: POST /auth/login sets the refresh cookie; the access token stays in memory.
import { get } from "../lib/api.js";
import { field, h } from "../lib/dom.js";
import { clearProblems, problemSlot, showProblem } from "../lib/problem.js";
import { login, setUser, token } from "../lib/session.js";

/** Only a path inside the console may be a `next` target (no open redirect to another site). */
export function safeNext(next) {
  return typeof next === "string" && /^\/app\/[^/\\]/.test(next) && !next.startsWith("/app/login") ? next : "/app/issues";
}

export async function render(view, { query, navigate }) {
  const next = safeNext(query.get("next"));
  if (token()) {
    // Already signed in (e.g. the refresh cookie restored the session): go straight on.
    queueMicrotask(() => navigate(next, { replace: true }));
  }
  const email = h("input", { type: "email", id: "login-email", name: "email", autocomplete: "email", required: true });
  const password = h("input", { type: "password", id: "login-password", name: "password", autocomplete: "current-password", required: true });
  const slot = problemSlot();
  const button = h("button", { type: "submit" }, "Sign in");
  const form = h("form", { class: "login-form", novalidate: true }, slot,
    field("Email", email), field("Password", password), h("div", { class: "actions" }, button));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblems(form, slot);
    button.disabled = true;
    try {
      const problem = await login(email.value.trim(), password.value);
      if (problem) {
        showProblem(slot, { problem }, (f) => ({ email: "login-email", password: "login-password" })[f]);
        password.value = "";
        password.focus();
        return;
      }
      try {
        setUser(await get("/me"));
      } catch {
        // the header will show without a name; the screen still works
      }
      navigate(next, { replace: true });
    } catch (error) {
      showProblem(slot, error);
    } finally {
      button.disabled = false;
    }
  });

  view.append(h("div", { class: "narrow" },
    h("h1", {}, "Sign in"),
    query.get("reason") === "expired"
      ? h("p", { class: "notice", role: "status" }, "Your session has ended. Sign in again.")
      : null,
    form));
}
