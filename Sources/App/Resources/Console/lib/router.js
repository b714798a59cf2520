// A small history-API router: real <a href> links everywhere (the console's /app pages and the
// API reference at /docs), intercepted so a click does not reload the
// page; back and forward replay the route through popstate.

/** Compiles "/app/issues/:id/generate" into a matcher returning {id} or null. */
export function compile(pattern) {
  const names = [];
  const source = pattern.replace(/:([a-zA-Z]+)/g, (_, name) => {
    names.push(name);
    return "([^/]+)";
  });
  const regex = new RegExp(`^${source}/?$`);
  return (pathname) => {
    const m = pathname.match(regex);
    if (!m) return null;
    return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
  };
}

export function createRouter(routes, onRoute) {
  const compiled = routes.map((r) => ({ ...r, match: compile(r.path) }));

  function resolve(pathname) {
    for (const route of compiled) {
      const params = route.match(pathname);
      if (params) return { route, params };
    }
    return { route: null, params: {} };
  }

  function dispatch(initial = false) {
    const { route, params } = resolve(location.pathname);
    onRoute({ route, params, query: new URLSearchParams(location.search), initial });
  }

  function navigate(url, { replace = false } = {}) {
    if (replace) history.replaceState(null, "", url);
    else history.pushState(null, "", url);
    dispatch();
  }

  function intercept(event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const a = event.target.closest?.("a[href]");
    if (!a || a.target || a.hasAttribute("download")) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin) return;
    if (!(url.pathname === "/" || url.pathname.startsWith("/app") || url.pathname === "/docs")) return;
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    event.preventDefault();
    // The #fragment goes along: main.js moves focus to its element once the screen is drawn.
    navigate(url.pathname + url.search + url.hash);
  }

  function start() {
    window.addEventListener("popstate", () => dispatch());
    document.addEventListener("click", intercept);
    dispatch(true);
  }

  return { start, navigate, resolve };
}
