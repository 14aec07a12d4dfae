// The console: the clock, the projects, and the poll that keeps every view current.
//
// Once a second the page asks /_mockapi/console/pulse what changed (one small answer with a
// stamp per view) and then reads only what did, through the same API a client uses.

import { initBackups } from "./backups.js";
import { $, formatClock, h, plural, setReferenceYear } from "./dom.js";
import { ApiProblem, config, control, onTokenRefused, setToken, token, tokenMissing } from "./http.js";
import { notify } from "./notices.js";
import { initSchedules } from "./schedules.js";
import { initSide } from "./side.js";

const ctx = {
  project: null, // {id, shortId, description, backups} from /_mockapi/projects
  projects: [],
  now: 0,
  mode: "",
  readOnly: config.readOnly,
  schedules: [],
  runs: new Map(),
  changed: () => poll(),
  redrawTimeline: () => backups.redrawTimeline(),
  spanChanged: (span) => schedules.spanChanged(span),
};

const backups = initBackups(ctx);
const schedules = initSchedules(ctx);
const side = initSide(ctx);

// --- tokens ----------------------------------------------------------------------------

function askToken(kind) {
  const dialog = $("#token-dialog");
  const wantApi = config.apiAuth === "tokens" || kind === "api";
  const wantControl = config.controlToken || kind === "control";
  $("#api-token-field").hidden = !wantApi;
  $("#control-token-field").hidden = !wantControl;
  $("#api-token").value = wantApi && config.apiAuth === "tokens" && token("api") !== "console" ? token("api") : "";
  $("#control-token").value = token("control");
  const why = {
    api: "This mockapi accepts only the API tokens it was started with (--tokens).",
    control: "This mockapi's control API needs its token (--control-token).",
    settings: "The tokens the console sends.",
  };
  $("#token-why").textContent = why[kind] || why.settings;
  return new Promise((resolve) => {
    const form = $("#token-form");
    const done = (given) => {
      form.removeEventListener("submit", submit);
      $("#token-cancel").removeEventListener("click", cancel);
      dialog.removeEventListener("cancel", cancel);
      if (dialog.open) dialog.close();
      resolve(given);
    };
    const submit = (event) => {
      event.preventDefault();
      if (wantApi && $("#api-token").value) setToken("api", $("#api-token").value);
      if (wantControl) setToken("control", $("#control-token").value);
      done(true);
    };
    const cancel = (event) => {
      event.preventDefault();
      done(false);
    };
    form.addEventListener("submit", submit);
    $("#token-cancel").addEventListener("click", cancel);
    dialog.addEventListener("cancel", cancel);
    dialog.showModal();
    (wantApi && config.apiAuth === "tokens" ? $("#api-token") : $("#control-token")).focus();
  });
}

onTokenRefused(askToken);
// Only where a token is needed: with `--auth any` every API token works.
$("#tokens-open").hidden = !(config.apiAuth === "tokens" || config.controlToken);
$("#tokens-open").addEventListener("click", async () => {
  if (await askToken("settings")) poll();
});

// --- the clock -------------------------------------------------------------------------

function localInputValue(ms) {
  const date = new Date(ms);
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function showClock(clock) {
  const before = ctx.now;
  ctx.now = Date.parse(clock.now);
  ctx.mode = clock.mode;
  setReferenceYear(ctx.now);
  const shown = $("#clock-now");
  shown.dateTime = clock.now;
  shown.title = `${clock.now} (UTC)`;
  shown.textContent = formatClock(ctx.now);
  const mode = $("#clock-mode");
  mode.textContent = clock.mode;
  mode.className = `badge mode-${clock.mode}`;
  const input = $("#clock-set-input");
  if (document.activeElement !== input) input.value = localInputValue(ctx.now);
  return before !== ctx.now;
}

async function moveClock(body) {
  try {
    const { data } = await control("POST", "/_mockapi/clock", body);
    showClock(data);
    poll();
  } catch (problem) {
    notify(problem);
  }
}

for (const button of document.querySelectorAll("[data-advance]")) {
  button.addEventListener("click", () => moveClock({ advanceSeconds: Number(button.dataset.advance) }));
}
$("#clock-set").addEventListener("submit", (event) => {
  event.preventDefault();
  // The input is in the browser's zone; the control API takes UTC.
  const when = new Date($("#clock-set-input").value);
  if (Number.isNaN(when.getTime())) return;
  moveClock({ now: when.toISOString() });
  $("#clock-set-input").blur();
});

$("#reset").addEventListener("click", async () => {
  try {
    await control("POST", "/_mockapi/reset");
    notify("Back to the startup state: data, clock, journal, faults and rate limit.", "ok");
    backups.reset();
    poll();
  } catch (problem) {
    notify(problem);
  }
});

// --- projects --------------------------------------------------------------------------

function showProjectHead(project) {
  if (project) {
    $("#project-title").textContent = project.shortId;
    const count = plural(project.backups, "backup");
    $("#project-meta").replaceChildren(
      project.description ? `${project.description} \u00b7 ` : "", count, " \u00b7 ",
      h("code", { title: "The project's UUID" }, project.id));
  } else {
    $("#project-title").textContent = "No projects";
    $("#project-meta").textContent = "The mock serves no data.";
  }
}

/** Show another project (true), or the same with fresher counts (false). */
function chooseProject(project) {
  const same = ctx.project && project && ctx.project.id === project.id;
  ctx.project = project;
  showProjectHead(project);
  if (same) return false;
  backups.reset();
  schedules.reset();
  if (project && location.hash.slice(1) !== project.shortId) {
    history.replaceState(null, "", `#${project.shortId}`);
  }
  return true;
}

function renderProjects() {
  const filter = $("#project-filter").value.trim().toLowerCase();
  $("#project-filter").hidden = ctx.projects.length <= 8;
  const items = ctx.projects
    .filter((p) => !filter || `${p.shortId} ${p.id} ${p.description}`.toLowerCase().includes(filter))
    .map((project) =>
      h("li", {},
        h("button", {
          type: "button", class: "project", "data-key": `project:${project.id}`,
          "aria-current": ctx.project && ctx.project.id === project.id ? "true" : false,
          onclick: () => {
            if (chooseProject(project)) {
              renderProjects();
              for (const name of ["backups", "schedules"]) delete seen[name];
              poll();
            }
          },
        },
        h("span", { class: "project-id" }, project.shortId),
        h("span", { class: "project-count", "aria-label": plural(project.backups, "backup") }, project.backups.toLocaleString()),
        project.description ? h("span", { class: "project-description" }, project.description) : null)));
  const active = document.activeElement;
  const key = active && active.dataset ? active.dataset.key : undefined;
  $("#project-list").replaceChildren(...items);
  if (key && key.startsWith("project:")) {
    const again = $(`#project-list [data-key="${CSS.escape(key)}"]`);
    if (again) again.focus();
  }
}

$("#project-filter").addEventListener("input", renderProjects);

async function refreshProjects() {
  try {
    const { data } = await control("GET", "/_mockapi/projects");
    ctx.projects = data;
    const wanted = (ctx.project && ctx.project.id) || location.hash.slice(1);
    let chosen = data.find((p) => p.id === wanted || p.shortId === wanted);
    if (!chosen && data.length) {
      chosen = data.reduce((most, p) => (p.backups > most.backups ? p : most), data[0]);
    }
    if (chooseProject(chosen || null)) {
      for (const name of ["backups", "schedules"]) delete seen[name];
      again = true;
    }
    renderProjects();
  } catch (problem) {
    notify(problem);
  }
}

window.addEventListener("hashchange", () => {
  const wanted = location.hash.slice(1);
  const project = ctx.projects.find((p) => p.shortId === wanted || p.id === wanted);
  if (project && chooseProject(project)) {
    renderProjects();
    for (const name of ["backups", "schedules"]) delete seen[name];
    poll();
  }
});

// --- the poll --------------------------------------------------------------------------

const seen = {};
const views = {
  projects: refreshProjects,
  backups: () => backups.refresh(),
  schedules: () => schedules.refresh(),
  journal: () => side.refreshJournal(),
  faults: () => side.refreshFaults(),
  rateLimit: () => side.refreshRateLimit(),
};
let running = null;
let again = false;
let timer = 0;
let offline = false;

/** Ask what changed now (and again a second later); read what did. */
function poll() {
  clearTimeout(timer);
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      const asked = ctx.project;
      const query = asked ? `?project=${encodeURIComponent(asked.id)}` : "";
      const { data } = await control("GET", `/_mockapi/console/pulse${query}`);
      if (offline) {
        offline = false;
        document.body.classList.remove("offline");
      }
      const moved = showClock(data);
      ctx.readOnly = data.readOnly;
      document.body.classList.toggle("read-only", data.readOnly);
      const work = [];
      // The projects first: a reset or new data may change which project is shown.
      if (data.projects !== seen.projects) {
        seen.projects = data.projects;
        await refreshProjects();
      }
      const stillAsked = (ctx.project && ctx.project.id) === (asked && asked.id);
      for (const [name, read] of Object.entries(views)) {
        if (name === "projects" || data[name] === seen[name]) continue;
        // Another project was chosen meanwhile: its stamps come with the next pulse.
        if ((name === "backups" || name === "schedules") && !stillAsked) continue;
        // Seen even if reading fails: a view that keeps failing (a fault rule!) is not
        // read again every second, which would use up the rule for the client's requests.
        seen[name] = data[name];
        if (data[name] !== null) work.push(read());
      }
      if (moved) {
        work.push(schedules.clockMoved());
        backups.clockMoved();
      }
      await Promise.allSettled(work);
    } catch (problem) {
      if (!offline && problem instanceof ApiProblem && problem.status === 0) {
        offline = true;
        document.body.classList.add("offline");
        notify(problem);
      } else if (!offline) {
        notify(problem);
      }
    } finally {
      running = null;
      if (again) {
        again = false;
        poll();
      } else if (!document.hidden) {
        timer = setTimeout(poll, offline ? config.pollMs * 3 : config.pollMs);
      }
    }
  })();
  return running;
}

// A hidden tab asks nothing; it catches up when shown again.
document.addEventListener("visibilitychange", () => {
  if (!document.hidden) poll();
});

async function start() {
  if (config.readOnly) {
    notify("Read-only: this mockapi runs several workers, each with its own data; changes are refused (409).", "info");
  }
  if (tokenMissing("control") || tokenMissing("api")) {
    await askToken(tokenMissing("control") ? "control" : "api");
  }
  poll();
}

start();
