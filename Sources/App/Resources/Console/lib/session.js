// The session lives in two places: the short-lived access token in this module's memory only
// (never localStorage or sessionStorage, where any injected script could read it for good) and
// the rotating refresh token in the server's HttpOnly cookie, which survives a reload.

import { requestRefresh, takeEarlyRefresh } from "../early-session.js";

let accessToken = null;
let claims = null;
let currentUser = null;
let refreshing = null;
let renewTimer = null;

const JSON_HEADERS = { "Content-Type": "application/json", Accept: "application/json" };

export function token() {
  return accessToken;
}

/** The role inside the access token (admin ⊃ lead ⊃ developer): a UI hint, the API decides. */
export function role() {
  return currentUser?.role ?? claims?.role ?? null;
}

export function userId() {
  return currentUser?.id ?? claims?.sub ?? null;
}

export function user() {
  return currentUser;
}

export function setUser(u) {
  currentUser = u;
}

const RANK = { developer: 1, lead: 2, admin: 3 };

/** True when the signed-in role is at least `needed`. */
export function hasRole(needed) {
  return (RANK[role()] ?? 0) >= (RANK[needed] ?? 0);
}

function adopt(pair) {
  accessToken = pair.accessToken;
  claims = decodeClaims(accessToken);
  // The body also carries the refresh token; we deliberately drop it: the cookie holds it.
  // Renew a minute before the token expires, so a working user never meets a 401 (the
  // 401 → refresh → retry in api.js stays as the fallback, e.g. after a laptop slept).
  clearTimeout(renewTimer);
  if (claims?.exp) {
    renewTimer = setTimeout(() => refresh(), Math.max(5_000, claims.exp * 1000 - Date.now() - 60_000));
  }
}

function forget() {
  clearTimeout(renewTimer);
  accessToken = null;
  claims = null;
  currentUser = null;
}

/** Reads a JWT's payload without verifying it: only to show the right navigation early. */
function decodeClaims(jwt) {
  try {
    const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), "=")));
  } catch {
    return null; // a personal access token or a malformed one: no hint, /me will tell.
  }
}

/**
 * Trades the refresh cookie for a new token pair. The refresh token rotates on every use and
 * the server revokes the whole family when a used one comes back, so two tabs must never send
 * the same cookie: a Web Lock named "promptsmith-refresh" (see early-session.js) makes
 * refreshes take turns across tabs (the second tab then sends the cookie the first one just
 * received). Calls within one tab share one request.
 */
export function refresh() {
  if (!refreshing) {
    // The first call of a page load takes the refresh early-session.js already started.
    refreshing = (takeEarlyRefresh() ?? requestRefresh()).then((pair) => {
      if (pair) adopt(pair);
      else forget();
      return Boolean(pair);
    }).finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/** Signs in; resolves to null on success, else to the problem document. */
export async function login(email, password) {
  const response = await fetch("/auth/login", {
    method: "POST", credentials: "same-origin", headers: JSON_HEADERS,
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) {
    let problem;
    try {
      problem = await response.json();
    } catch {
      problem = { title: response.statusText, status: response.status };
    }
    return problem;
  }
  adopt(await response.json());
  return null;
}

/** Ends the session on the server (revokes the refresh family, clears the cookie). */
export async function logout() {
  const headers = { ...JSON_HEADERS };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  try {
    await fetch("/auth/logout", { method: "POST", credentials: "same-origin", headers, body: "{}" });
  } finally {
    forget();
  }
}
