// Names for user ids (template authors). Only admins may list users, so others see their own
// name and a short id for colleagues: the API has no public "who is this user" lookup.
import { getAll } from "./api.js";
import { hasRole, user, userId } from "./session.js";

let cache = null;

export async function loadPeople() {
  if (!cache) {
    cache = hasRole("admin") ? getAll("/users").then((users) => new Map(users.map((u) => [u.id, u.name || u.email])), () => new Map()) : Promise.resolve(new Map());
  }
  return cache;
}

/** Forgets the names, after the users screen added or renamed someone. */
export function forgetPeople() {
  cache = null;
}

/** The name the API sent (`createdByName`…), else one we know, else a short id. */
export function nameOf(people, id, given) {
  if (given) return given;
  if (!id) return "—";
  if (id === userId()) return user()?.name ? `${user().name} (you)` : "You";
  return people.get(id) ?? `User ${id.slice(0, 8)}`;
}
