// The console's entry point: restores the session from the refresh cookie, draws the header
// and hands each URL to its screen. Screens live in screens/, one module each.
import { ApiError, get, onSessionExpired } from "./lib/api.js";
import { clear, h } from "./lib/dom.js";
import { createRouter } from "./lib/router.js";
import { hasRole, logout, refresh, role, setUser, token, user } from "./lib/session.js";
import { showProblem } from "./lib/problem.js";
import * as login from "./screens/login.js";
import * as issues from "./screens/issues.js";
import * as issue from "./screens/issue.js";
import * as generate from "./screens/generate.js";
import * as prompts from "./screens/prompts.js";
import * as prompt from "./screens/prompt.js";
import * as templates from "./screens/templates.js";
import * as templateEditor from "./screens/template-editor.js";
import * as templateHistory from "./screens/template-history.js";
import * as stats from "./screens/stats.js";
import * as notAllowed from "./screens/not-allowed.js";

// Order matters: the first match wins ("/app/templates/new" before "/app/templates/:id").
// `role` is the least role that may open the screen; `public` screens need no session.
// Screens on the first page's path are imported statically (and preloaded); the others give
// `load`, a dynamic import() run only when the screen is opened and the role allows it, so the
// first page stays under its 150 KB budget and a developer never fetches an admin screen.
const routes = [
  { path: "/app/login", screen: login, public: true },
  { path: "/app/issues", screen: issues, role: "developer" },
  { path: "/app/issues/:id", screen: issue, role: "developer" },
  { path: "/app/issues/:id/generate", screen: generate, role: "developer" },
  { path: "/app/prompts", screen: prompts, role: "developer" },
  { path: "/app/prompts/:id", screen: prompt, role: "developer" },
  { path: "/app/templates", screen: templates, role: "developer" },
  { path: "/app/templates/new", screen: templateEditor, role: "lead" },
  { path: "/app/templates/:id", screen: templateEditor, role: "lead" },
  { path: "/app/templates/:id/history", screen: templateHistory, role: "lead" },
  { path: "/app/stats", screen: stats, role: "lead" },
  { path: "/app/tokens", load: () => import("./screens/tokens.js"), role: "developer" },
  { path: "/app/admin/trackers", load: () => import("./screens/admin/trackers.js"), role: "admin" },
  { path: "/app/admin/trackers/new", load: () => import("./screens/admin/tracker.js"), role: "admin" },
  { path: "/app/admin/trackers/:id", load: () => import("./screens/admin/tracker.js"), role: "admin" },
  { path: "/app/admin/jobs", load: () => import("./screens/admin/jobs.js"), role: "admin" },
  { path: "/app/admin/users", load: () => import("./screens/admin/users.js"), role: "admin" },
  { path: "/app/admin/audit", load: () => import("./screens/admin/audit.js"), role: "admin" },
  // The OAuth callback's older address (CONTRACTS: /app/trackers/{id}): same screen, new URL.
  { path: "/app/trackers", redirect: () => "/app/admin/trackers" },
  { path: "/app/trackers/:id", redirect: ({ id }) => `/app/admin/trackers/${encodeURIComponent(id)}` },
  { path: "/docs", load: () => import("./screens/docs.js"), public: true },
];

// Main navigation: shown only to the roles that may use each entry; `group` entries follow
// under their own label. Access tokens and the API reference live in the account area and
// the footer.
const navItems = [
  { href: "/app/issues", label: "Issues", role: "developer" },
  { href: "/app/prompts", label: "My prompts", role: "developer" },
  { href: "/app/templates", label: "Templates", role: "developer" },
  { href: "/app/stats", label: "Statistics", role: "lead" },
  { href: "/app/admin/trackers", label: "Trackers", role: "admin", group: "Admin" },
  { href: "/app/admin/jobs", label: "Jobs", role: "admin", group: "Admin" },
  { href: "/app/admin/users", label: "Users", role: "admin", group: "Admin" },
  { href: "/app/admin/audit", label: "Audit", role: "admin", group: "Admin" },
];

const main = document.getElementById("main");
const router = createRouter(routes, show);
let generation = 0;
let sessionChecked = false;
const leaving = []; // the current screen's clean-ups (timers, listeners), run when it is left

onSessionExpired(() => {
  const next = location.pathname + location.search;
  if (location.pathname !== "/app/login") router.navigate(`/app/login?reason=expired&next=${encodeURIComponent(next)}`);
});

function navLink(item) {
  const current = location.pathname === item.href || location.pathname.startsWith(`${item.href}/`);
  return h("li", {}, h("a", { href: item.href, "aria-current": current ? "page" : null }, item.label));
}

function renderHeader() {
  const nav = clear(document.getElementById("nav"));
  const account = clear(document.getElementById("account"));
  if (!token()) {
    // Public pages (the API reference) offer the way in; the login page itself does not.
    if (location.pathname !== "/app/login") account.append(h("a", { href: "/app/login", class: "button secondary" }, "Sign in"));
    return;
  }
  const visible = navItems.filter((item) => hasRole(item.role));
  nav.append(h("ul", {}, visible.filter((item) => !item.group).map(navLink)));
  const admin = visible.filter((item) => item.group === "Admin");
  if (admin.length) {
    nav.append(h("span", { class: "nav-label", id: "nav-admin-label" }, "Admin"),
      h("ul", { "aria-labelledby": "nav-admin-label" }, admin.map(navLink)));
  }
  const me = user();
  const onTokens = location.pathname === "/app/tokens";
  account.append(
    h("span", { id: "current-user", class: "current-user" }, me ? me.name || me.email : ""),
    h("a", { href: "/app/tokens", "aria-current": onTokens ? "page" : null }, "Access tokens"),
    h("button", { type: "button", class: "secondary", on: { click: signOut } }, "Sign out"),
  );
}

async function signOut() {
  await logout();
  renderHeader();
  router.navigate("/app/login");
}

/** Loads /me beside the screen's own data (the role is already in the token). */
function loadUser() {
  return get("/me").then((me) => {
    setUser(me);
    renderHeader();
  }).catch(() => {});
}

function setLoading() {
  delete main.dataset.ready;
  main.setAttribute("aria-busy", "true");
  clear(main).append(h("p", { class: "loading" }, "Loading…"));
}

/** The element a URL's #fragment names (an operation of the API reference, a user's row). */
function fragmentTarget() {
  if (!location.hash) return null;
  try {
    return document.getElementById(decodeURIComponent(location.hash.slice(1)));
  } catch {
    return null;
  }
}

/** Swaps a finished view into <main>, unless the user has already moved on. */
function commit(view, ticket, initial) {
  if (ticket !== generation) return;
  clear(main).append(...view.childNodes);
  main.removeAttribute("aria-busy");
  main.dataset.ready = "true";
  const h1 = main.querySelector("h1");
  document.title = h1 ? `${h1.textContent} · Promptsmith` : "Promptsmith";
  // A #fragment wins: the browser could not scroll to it before the screen existed.
  const target = fragmentTarget();
  if (target) {
    if (!target.hasAttribute("tabindex")) target.tabIndex = -1;
    target.focus({ preventScroll: true });
    target.scrollIntoView();
    return;
  }
  // After a navigation, move focus to the heading so keyboard and screen-reader users start
  // at the new content; on the first load, leave focus where the browser put it.
  if (h1 && !initial) {
    h1.tabIndex = -1;
    h1.focus();
  }
}

/** The route's screen module: imported statically, or loaded now (lazy screens). */
async function screenOf(route) {
  if (route.screen) return route.screen;
  try {
    return await route.load();
  } catch {
    // A failed import() is a network problem (or a deployment that replaced the files).
    throw new ApiError(0, { title: "Not loaded", detail: "This page could not be loaded. Check your connection and reload the page." });
  }
}

async function show({ route, params, query, initial }) {
  const ticket = ++generation;
  for (const cleanUp of leaving.splice(0)) {
    try {
      cleanUp();
    } catch {
      // a clean-up that fails must not keep the next screen from showing
    }
  }
  setLoading();
  if (!sessionChecked) {
    sessionChecked = true;
    if (await refresh()) loadUser();
    if (ticket !== generation) return;
  }
  if (location.pathname === "/" || location.pathname === "/app" || location.pathname === "/app/") {
    history.replaceState(null, "", token() ? "/app/issues" : "/app/login");
    return show({ ...router.resolve(location.pathname), query: new URLSearchParams(location.search), initial });
  }
  if (route?.redirect) {
    history.replaceState(null, "", route.redirect(params) + location.search);
    return show({ ...router.resolve(location.pathname), query: new URLSearchParams(location.search), initial });
  }
  if (route && !route.public && !token()) {
    const next = location.pathname + location.search;
    history.replaceState(null, "", `/app/login?next=${encodeURIComponent(next)}`);
    return show({ ...router.resolve("/app/login"), query: new URLSearchParams(location.search), initial });
  }
  renderHeader();
  const view = document.createElement("div");
  const ctx = {
    params, query, navigate: router.navigate, isCurrent: () => ticket === generation, role: role(),
    // Screens that keep working in the background (polling, visibility listeners) stop here.
    onLeave: (cleanUp) => {
      if (ticket === generation) leaving.push(cleanUp);
      else cleanUp();
    },
  };
  try {
    if (!route) notAllowed.renderNotFound(view);
    // The role is checked before a lazy screen is fetched: no half-loaded page, no admin code.
    else if (route.role && !hasRole(route.role)) notAllowed.render(view);
    else {
      const screen = await screenOf(route);
      if (ticket !== generation) return;
      await screen.render(view, ctx);
    }
  } catch (error) {
    clear(view);
    if (error instanceof ApiError && error.status === 404) notAllowed.renderNotFound(view);
    else if (error instanceof ApiError && error.status === 403) notAllowed.render(view);
    else if (error instanceof ApiError && error.status === 401) return; // on its way to login
    else {
      const slot = h("div");
      view.append(h("h1", {}, "Something went wrong"), slot);
      showProblem(slot, error);
    }
  }
  commit(view, ticket, initial);
  // Screens that keep working after they appear (live preview) hook in here.
  if (ticket === generation && ctx.afterMount) ctx.afterMount();
}

router.start();
