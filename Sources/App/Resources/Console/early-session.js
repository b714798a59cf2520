// The page load's session refresh, started as early as possible. index.html loads this module
// on its own (`<script type="module" async>`, no imports), so it runs as soon as it arrives
// instead of after the whole module graph: the refresh round trip then overlaps the other
// modules' downloads. session.js imports the same module (the import map sends both to the
// same hashed URL, so it is one instance) and takes this first answer instead of asking again.
// Its name sorts before lib/, main.js and screens/ on purpose: the server lists the module
// preloads alphabetically, so this one is the first request the browser sends.

export const REFRESH_LOCK = "promptsmith-refresh";

/**
 * POST /auth/refresh under the cross-tab lock; resolves to the token pair, or null when there is
 * no session. The lock is held until the answer is read, so another tab's refresh waits for
 * the new cookie (refresh tokens rotate, and a reused one revokes the whole family).
 */
export function requestRefresh() {
  const run = async () => {
    try {
      // The server answers 415 to a body without a JSON media type, so send an empty object.
      const response = await fetch("/auth/refresh", {
        method: "POST", credentials: "same-origin", body: "{}",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
      });
      return response.ok ? await response.json() : null;
    } catch {
      return null;
    }
  };
  return navigator.locks ? navigator.locks.request(REFRESH_LOCK, run) : run();
}

/**
 * The server sets `ps_session=1` (readable, no secret) beside the HttpOnly refresh cookie and
 * clears it on sign-out: without it there is no session to restore, and asking would only
 * log a 401.
 */
function mayHaveSession() {
  return document.cookie.split(";").some((c) => c.trim() === "ps_session=1");
}

performance.mark("promptsmith:early-session"); // when the refresh starts, for timing tests
let early = mayHaveSession() ? requestRefresh() : Promise.resolve(null);

/** The refresh started at page load, once; null afterwards (later refreshes ask anew). */
export function takeEarlyRefresh() {
  const pending = early;
  early = null;
  return pending;
}
