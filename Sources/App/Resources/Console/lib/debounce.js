// Live lint and preview call the server as the user types; waiting for a pause keeps that to
// one request per burst of keystrokes instead of one per key.
export function debounce(fn, ms = 300) {
  let timer;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  debounced.now = (...args) => { clearTimeout(timer); fn(...args); };
  return debounced;
}

/**
 * Wraps an async function so only the latest call's result is delivered: an answer that
 * arrives after a newer request was started is dropped (typing fast must never show a stale
 * preview over a fresh one).
 */
export function latestOnly(fn) {
  let counter = 0;
  return async (...args) => {
    const ticket = ++counter;
    const result = await fn(...args);
    return ticket === counter ? { current: true, result } : { current: false };
  };
}
