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
];

// Main navigation: shown only to the roles that may use each entry.
const navItems = [
  { href: "/app/issues", label: "Issues", role: "developer" },
  { href: "/app/prompts", label: "My prompts", role: "developer" },
  { href: "/app/templates", label: "Templates", role: "developer" },
  { href: "/app/stats", label: "Statistics", role: "lead" },
];

const main = document.getElementById("main");
const router = createRouter(routes, show);
let generation = 0;
let sessionChecked = false;

onSessionExpired(() => {
  const next = location.pathname + location.search;
  if (location.pathname !== "/app/login") router.navigate(`/app/login?reason=expired&next=${encodeURIComponent(next)}`);
});

function renderHeader() {
  const nav = clear(document.getElementById("nav"));
  const account = clear(document.getElementById("account"));
  if (!token()) return;
  const list = h("ul", {}, navItems.filter((item) => hasRole(item.role)).map((item) => {
    const current = location.pathname === item.href || location.pathname.startsWith(`${item.href}/`);
    return h("li", {}, h("a", { href: item.href, "aria-current": current ? "page" : null }, item.label));
  }));
  nav.append(list);
  const me = user();
  account.append(
    h("span", { id: "current-user", class: "current-user" }, me ? me.name || me.email : ""),
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

/** Swaps a finished view into <main>, unless the user has already moved on. */
function commit(view, ticket, initial) {
  if (ticket !== generation) return;
  clear(main).append(...view.childNodes);
  main.removeAttribute("aria-busy");
  main.dataset.ready = "true";
  const h1 = main.querySelector("h1");
  document.title = h1 ? `${h1.textContent} · Promptsmith` : "Promptsmith";
  // After a navigation, move focus to the heading so keyboard and screen-reader users start
  // at the new content; on the first load, leave focus where the browser put it.
  if (h1 && !initial) {
    h1.tabIndex = -1;
    h1.focus();
  }
}

async function show({ route, params, query, initial }) {
  const ticket = ++generation;
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
  if (route && !route.public && !token()) {
    const next = location.pathname + location.search;
    history.replaceState(null, "", `/app/login?next=${encodeURIComponent(next)}`);
    return show({ ...router.resolve("/app/login"), query: new URLSearchParams(location.search), initial });
  }
  renderHeader();
  const view = document.createElement("div");
  const ctx = { params, query, navigate: router.navigate, isCurrent: () => ticket === generation, role: role() };
  try {
    if (!route) notAllowed.renderNotFound(view);
    else if (route.role && !hasRole(route.role)) notAllowed.render(view);
    else await route.screen.render(view, ctx);
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
