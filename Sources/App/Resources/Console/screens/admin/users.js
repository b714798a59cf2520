// The company's users (admin): add one (with a typed or generated initial password, shown once),
// change a role, disable or enable, reset a password (shown once). The API keeps one enabled
// admin per company and says so (409) when a change would remove the last: that refusal is
// shown beside the control that caused it.
import { getAll, patch, post } from "../../lib/api.js";
import { clear, field, h, select, table } from "../../lib/dom.js";
import { forgetPeople } from "../../lib/people.js";
import { clearProblems, placeFieldError, problemSlot, showProblem } from "../../lib/problem.js";
import { generatePassword, secretBox } from "../../lib/secret.js";
import { userId } from "../../lib/session.js";

const ROLES = [{ value: "developer", label: "Developer" }, { value: "lead", label: "Lead" }, { value: "admin", label: "Admin" }];
const roleLabel = (role) => ROLES.find((r) => r.value === role)?.label ?? role;
const MIN_PASSWORD = 12; // UpdateUserRequest / CreateUserRequest: password minLength

/** "Generate a password" or "Type a password", for a new user and for a reset. */
function passwordChoice(prefix) {
  const name = `${prefix}-mode`;
  const input = h("input", { type: "password", id: `${prefix}`, autocomplete: "new-password", minlength: String(MIN_PASSWORD) });
  const typed = field("Password", input, { help: `At least ${MIN_PASSWORD} characters.` });
  typed.hidden = true;
  const option = (value, label, checked) => h("div", { class: "field-checkbox" },
    h("input", { type: "radio", name, id: `${name}-${value}`, value, checked }), h("label", { for: `${name}-${value}` }, label));
  // The typed password's field follows the fieldset: a radio group's fieldset holds its radios only.
  const element = h("div", {}, h("fieldset", { class: "radios" }, h("legend", {}, "Password"),
    option("generate", "Generate a password", true), option("type", "Type a password", false)), typed);
  for (const radio of element.querySelectorAll(`input[name=${name}]`)) {
    radio.addEventListener("change", () => {
      typed.hidden = radio.value !== "type";
      if (!typed.hidden) input.focus();
    });
  }
  return {
    element,
    /** The password to send, or null after placing an error beside the input. */
    read() {
      if (typed.hidden) return generatePassword();
      if (input.value.length < MIN_PASSWORD) {
        placeFieldError(input, `must be at least ${MIN_PASSWORD} characters.`);
        input.focus();
        return null;
      }
      return input.value;
    },
    clear() {
      input.value = "";
    },
  };
}

export async function render(view) {
  const users = await getAll("/users");
  const me = userId();

  // ------------------------------------------------------------------ add a user
  const email = h("input", { type: "email", id: "user-email", spellcheck: "false" });
  const name = h("input", { type: "text", id: "user-name", autocomplete: "off" });
  const role = select("user-role", ROLES, "developer");
  const password = passwordChoice("user-password");
  const addSlot = problemSlot();
  const addResult = h("div", { id: "new-user-result" });
  const addButton = h("button", { type: "submit" }, "Add user");
  const addForm = h("form", { class: "user-form", novalidate: true },
    h("div", { class: "field-row" }, field("Email", email, { required: true }), field("Name", name, { required: true }), field("Role", role)),
    password.element, addSlot, h("div", { class: "actions" }, addButton), addResult);
  const addControls = { email: "user-email", name: "user-name", role: "user-role", password: "user-password" };

  addForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblems(addForm, addSlot);
    clear(addResult);
    const secret = password.read();
    if (secret === null) return;
    addButton.disabled = true;
    try {
      const user = await post("/users", { email: email.value.trim(), name: name.value.trim(), role: role.value, password: secret });
      forgetPeople();
      users.push(user);
      tbody.append(userRow(user));
      email.value = "";
      name.value = "";
      password.clear();
      addResult.append(h("p", { role: "status", class: "success" }, `${user.name} (${user.email}) was added as ${roleLabel(user.role)}.`),
        secretBox({
          id: "new-user-password", label: `Initial password of ${user.name}`, secret, copyLabel: "Copy password",
          note: "This password will not be shown again. Give it to the user over a safe channel; they can change it after signing in.",
        }));
    } catch (error) {
      showProblem(addSlot, error, (f) => addControls[String(f).replace(/^\//, "")] ?? null);
    } finally {
      addButton.disabled = false;
    }
  });

  // ------------------------------------------------------------------ reset a password
  const resetSection = h("section", { "aria-labelledby": "reset-heading", class: "card", id: "reset-password", hidden: true });

  function openReset(user) {
    const choice = passwordChoice("reset-password-value");
    const slot = problemSlot();
    const result = h("div", {});
    const submit = h("button", { type: "submit" }, "Set password");
    const cancel = h("button", { type: "button", class: "secondary" }, "Close");
    const heading = h("h2", { id: "reset-heading", tabindex: "-1" }, `Reset the password of ${user.name}`);
    const form = h("form", { novalidate: true },
      h("p", {}, "Setting a password ends every session of the user and revokes their access tokens."),
      choice.element, slot, h("div", { class: "actions" }, submit, cancel), result);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearProblems(form, slot);
      clear(result);
      const secret = choice.read();
      if (secret === null) return;
      submit.disabled = true;
      try {
        const updated = await patch(`/users/${encodeURIComponent(user.id)}`, { password: secret });
        choice.clear();
        const revoked = updated.revokedTokens ? ` ${updated.revokedTokens} access token${updated.revokedTokens === 1 ? " was" : "s were"} revoked.` : "";
        result.append(h("p", { role: "status", class: "success" }, `The password of ${user.name} was reset; their sessions have ended.${revoked}`),
          secretBox({
            id: "reset-password-secret", label: `New password of ${user.name}`, secret, copyLabel: "Copy password",
            note: "This password will not be shown again. Give it to the user over a safe channel.",
          }));
      } catch (error) {
        showProblem(slot, error, (f) => (String(f).replace(/^\//, "") === "password" ? "reset-password-value" : null));
      } finally {
        submit.disabled = false;
      }
    });
    cancel.addEventListener("click", () => {
      resetSection.hidden = true;
      clear(resetSection);
      document.getElementById(`reset-${user.id}`)?.focus();
    });
    clear(resetSection).append(heading, form);
    resetSection.hidden = false;
    heading.focus();
  }

  // ------------------------------------------------------------------ the table
  /** A row's change: PATCH, then redraw the row; a refusal stays beside `control`. */
  async function change(user, body, control, done) {
    const cell = control.closest("td");
    cell.querySelector(".inline-problem")?.remove();
    cell.querySelector(".row-status")?.remove();
    control.disabled = true;
    try {
      const updated = await patch(`/users/${encodeURIComponent(user.id)}`, body);
      Object.assign(user, updated);
      forgetPeople();
      const fresh = userRow(user);
      document.getElementById(`user-${user.id}`).replaceWith(fresh);
      const twin = fresh.querySelector(`#${control.id}`);
      twin.closest("td").append(h("p", { class: "row-status success", role: "status" }, done(user)));
      twin.focus();
    } catch (error) {
      control.disabled = false;
      if (control.tagName === "SELECT") control.value = user.role; // the change did not happen
      const slot = h("div", { class: "inline-problem" });
      cell.append(slot);
      showProblem(slot, error);
      control.focus();
    }
  }

  function userRow(user) {
    const you = user.id === me ? " (you)" : "";
    const roleSelect = select(`role-${user.id}`, ROLES, user.role);
    roleSelect.setAttribute("aria-label", `Role of ${user.name}`);
    roleSelect.addEventListener("change", () => change(user, { role: roleSelect.value }, roleSelect,
      (u) => `${u.name} is now ${roleLabel(u.role)}.`));
    const toggle = h("button", { type: "button", class: "secondary small", id: `toggle-${user.id}` },
      user.disabled ? "Enable" : "Disable", h("span", { class: "visually-hidden" }, ` ${user.name}`));
    toggle.addEventListener("click", () => change(user, { disabled: !user.disabled }, toggle,
      (u) => (u.disabled ? `${u.name} is disabled; their sessions have ended.` : `${u.name} is enabled.`)));
    const reset = h("button", { type: "button", class: "secondary small", id: `reset-${user.id}` },
      "Reset password", h("span", { class: "visually-hidden" }, ` of ${user.name}`));
    reset.addEventListener("click", () => openReset(user));
    return h("tr", { id: `user-${user.id}`, dataset: { userId: user.id } },
      [
        `${user.name}${you}`, user.email, roleSelect,
        [h("span", { class: user.disabled ? "badge badge-warning" : "badge" }, user.disabled ? "Disabled" : "Enabled"), " ", toggle],
        reset,
      ].map((c) => h("td", {}, c)));
  }

  const wrap = table(null, ["Name", "Email", "Role", "Status", "Password"], [], "Users");
  const tbody = wrap.querySelector("tbody");
  tbody.append(...users.map(userRow));

  view.append(
    h("h1", {}, "Users"),
    h("section", { "aria-labelledby": "all-users-heading" }, h("h2", { id: "all-users-heading" }, "All users"), wrap),
    resetSection,
    h("section", { "aria-labelledby": "add-user-heading", class: "card" }, h("h2", { id: "add-user-heading" }, "Add a user"), addForm),
  );
}
