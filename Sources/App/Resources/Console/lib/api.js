// The one way screens talk to the REST API: adds the bearer token, refreshes once on a 401
// and retries, turns problem+json answers into ApiError, and reads the Link header for paging.
import { refresh, token } from "./session.js";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? { title: `HTTP ${status}`, status };
  }
}

let expiredHandler = () => {};

/** main.js decides what an ended session does (go to the login page); set once at start. */
export function onSessionExpired(handler) {
  expiredHandler = handler;
}

export function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}${path.includes("?") ? "&" : "?"}${qs}` : path;
}

/** `<…/issues?cursor=X>; rel="next"` → the URL, or null. */
export function nextLink(header) {
  if (!header) return null;
  for (const part of header.split(",")) {
    const match = part.match(/<([^>]*)>\s*;\s*rel="?next"?/);
    if (match) return match[1];
  }
  return null;
}

/** The `cursor` parameter of a next-page URL (the console puts it into its own URL). */
export function cursorOf(url) {
  if (!url) return null;
  return new URL(url, location.origin).searchParams.get("cursor");
}

export async function problemOf(response) {
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("json")) {
    try {
      return await response.json();
    } catch {
      // fall through to a generic problem
    }
  }
  return { title: response.statusText || `HTTP ${response.status}`, status: response.status };
}

/**
 * Calls the API. Options: method, query, body (JSON-encoded), headers.
 * Resolves to {data, next, response}; rejects with ApiError.
 */
export async function request(path, { method = "GET", query, body, headers = {}, signal } = {}) {
  const url = withQuery(path, query);
  const send = () => {
    const h = { Accept: "application/json", ...headers };
    if (token()) h.Authorization = `Bearer ${token()}`;
    const init = { method, headers: h, credentials: "same-origin", signal };
    if (body !== undefined) {
      h["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(url, init);
  };
  let response = await send();
  if (response.status === 401) {
    if (await refresh()) response = await send();
    if (response.status === 401) {
      expiredHandler();
      throw new ApiError(401, await problemOf(response));
    }
  }
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  const type = response.headers.get("Content-Type") ?? "";
  const data = response.status === 204 ? null : type.includes("json") ? await response.json() : await response.text();
  return { data, next: nextLink(response.headers.get("Link")), response };
}

export const get = (path, query, options = {}) => request(path, { ...options, query }).then((r) => r.data);
export const post = (path, body, options = {}) => request(path, { ...options, method: "POST", body }).then((r) => r.data);
export const patch = (path, body, options = {}) => request(path, { ...options, method: "PATCH", body }).then((r) => r.data);

/** Every page of a list (templates, versions), following Link rel="next" up to `maxPages`. */
export async function getAll(path, query = {}, maxPages = 20) {
  let items = [];
  let url = withQuery(path, { limit: 200, ...query });
  for (let page = 0; url && page < maxPages; page++) {
    const { data, next } = await request(url);
    items = items.concat(data);
    url = next ? new URL(next, location.origin).pathname + new URL(next, location.origin).search : null;
  }
  return items;
}

/** Fetches a download with the bearer token (a plain link cannot carry it) as a Blob. */
export async function getBlob(path) {
  const send = () => fetch(path, { headers: token() ? { Authorization: `Bearer ${token()}` } : {}, credentials: "same-origin" });
  let response = await send();
  if (response.status === 401 && (await refresh())) response = await send();
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const name = disposition.match(/filename="?([^";]+)"?/)?.[1] ?? "download";
  return { blob: await response.blob(), name };
}

/**
 * POST multipart form data with upload progress. fetch() cannot report upload progress, so
 * this one call uses XMLHttpRequest; it refreshes and retries once on a 401 like the others.
 */
export function upload(path, formData, onProgress) {
  const attempt = () => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    if (token()) xhr.setRequestHeader("Authorization", `Bearer ${token()}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    xhr.onload = () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body, statusText: xhr.statusText });
    };
    xhr.onerror = () => reject(new ApiError(0, { title: "Network error", detail: "The upload could not reach the server." }));
    xhr.send(formData);
  });
  return attempt().then(async (result) => {
    if (result.status === 401 && (await refresh())) result = await attempt();
    if (result.status === 401) expiredHandler();
    if (result.status < 200 || result.status >= 300) {
      throw new ApiError(result.status, result.body ?? { title: result.statusText, status: result.status });
    }
    return result.body;
  });
}
