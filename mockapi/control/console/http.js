// Every call the console makes: the API with an API token, the control API with the control
// token. Errors arrive as the API words them (type, message, validationErrors).

export const config = JSON.parse(document.getElementById("console-config").textContent);

const STORED = { api: "mockapi.console.apiToken", control: "mockapi.console.controlToken" };
// With `--auth any` (the default) every non-empty token works: the console sends this one.
const DEMO_TOKEN = "console";

const tokens = {
  api: sessionStorage.getItem(STORED.api) || DEMO_TOKEN,
  control: sessionStorage.getItem(STORED.control) || "",
};

export function token(kind) {
  return tokens[kind];
}

export function setToken(kind, value) {
  tokens[kind] = value;
  sessionStorage.setItem(STORED[kind], value);
}

/** True when a token must be given before the first call (none kept in this tab yet). */
export function tokenMissing(kind) {
  if (kind === "control") return config.controlToken && !tokens.control;
  return config.apiAuth === "tokens" && !sessionStorage.getItem(STORED.api);
}

/** An answer that was not a success, in the API's own words. */
export class ApiProblem extends Error {
  constructor(method, path, status, body) {
    const error = body && typeof body === "object" ? body : {};
    super(error.message || (typeof body === "string" && body) || `HTTP ${status}`);
    this.method = method;
    this.path = path;
    this.status = status;
    this.type = error.type || (status ? `HTTP ${status}` : "NoAnswer");
    this.validationErrors = Array.isArray(error.validationErrors) ? error.validationErrors : [];
    this.traceId = error.params && error.params.traceId;
  }
}

let askForToken = null;
let pendingAsk = null;

/** Who asks the user for a token when one is refused: (kind) => Promise<boolean>. */
export function onTokenRefused(ask) {
  askForToken = ask;
}

function ask(kind) {
  if (!askForToken) return Promise.resolve(false);
  // Several calls refused at once share one question.
  pendingAsk = pendingAsk || askForToken(kind).finally(() => { pendingAsk = null; });
  return pendingAsk;
}

function refusedToken(kind, problem) {
  if (kind === "api") return problem.status === 401 && config.apiAuth === "tokens";
  return problem.status === 403 && problem.type === "PermissionDenied" && config.controlToken;
}

// The console's own reads of the API, so the journal can tell them from a client's: each
// is taken off when its journal entry is seen, and forgotten after a while in any case.
const READ_MEMORY_MS = 30_000;
const ownReads = new Map();

/** True (once) when a journal entry is a read this console made. */
export function isOwnRead(method, target) {
  const times = ownReads.get(`${method} ${target}`);
  if (!times) return false;
  const now = performance.now();
  while (times.length && now - times[0] > READ_MEMORY_MS) times.shift();
  if (!times.length) return false;
  times.shift();
  return true;
}

function rememberRead(target) {
  const key = `GET ${target}`;
  const times = ownReads.get(key) || [];
  times.push(performance.now());
  ownReads.set(key, times.slice(-20));
}

async function call(kind, method, path, body) {
  if (kind === "api" && method === "GET") rememberRead(path);
  const headers = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (kind === "api" && config.apiAuth !== "none") headers["x-access-token"] = tokens.api;
  if (kind === "control" && tokens.control) headers["x-mockapi-control-token"] = tokens.control;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    throw new ApiProblem(method, path, 0, {
      type: "NoAnswer",
      message: `mockapi did not answer ${method} ${path}: is it still running?`,
    });
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    const problem = new ApiProblem(method, path, response.status, data);
    if (refusedToken(kind, problem) && (await ask(kind))) return call(kind, method, path, body);
    throw problem;
  }
  return { status: response.status, headers: response.headers, data };
}

/** A call of the mittwald API (/v2/...), as a client makes it. */
export function api(method, path, body) {
  return call("api", method, path, body);
}

/** A call of the control API (/_mockapi/...). */
export function control(method, path, body) {
  return call("control", method, path, body);
}

/** The API's paging headers of a list answer. */
export function paging(headers) {
  const number = (name) => Number(headers.get(name) || 0);
  return {
    total: number("x-pagination-totalcount"),
    limit: number("x-pagination-limit"),
    skip: number("x-pagination-skip"),
    page: number("x-pagination-page"),
  };
}
