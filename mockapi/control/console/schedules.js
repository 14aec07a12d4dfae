// A project's schedules (through the API) with their next runs (which only the control API
// knows), and the forms to add and delete one.

import { $, HOUR, formatRelative, h, replaceKeepingFocus, sameProject, timeElement } from "./dom.js";
import { api, control } from "./http.js";
import { notify, showProblem } from "./notices.js";

export function initSchedules(ctx) {
  const rows = $("#schedule-rows");
  let runsReadAt = 0; // the mock time the runs were read at
  let future = 7 * 24 * HOUR;

  let rendered = "";

  function render() {
    // Only when something shown differs (a running clock changes "in 3 hours" rarely).
    const shown = JSON.stringify([ctx.schedules, [...ctx.runs.values()].map((r) => r.nextRun),
      ctx.schedules.map((s) => {
        const runs = ctx.runs.get(s.id);
        return runs ? formatRelative(Date.parse(runs.nextRun), ctx.now) : "";
      })]);
    if (shown === rendered) return;
    rendered = shown;
    const built = ctx.schedules.map((schedule) => {
      const runs = ctx.runs.get(schedule.id);
      const next = runs ? Date.parse(runs.nextRun) : NaN;
      return h("tr", { role: "row", "data-id": schedule.id },
        h("td", { role: "cell", "data-label": "Runs" },
          h("code", {}, schedule.schedule),
          schedule.isSystemBackup ? h("span", { class: "tag", title: "isSystemBackup: true" }, "system") : null),
        h("td", { role: "cell", "data-label": "Description" },
          schedule.description || h("span", { class: "muted" }, "\u2014")),
        h("td", { role: "cell", "data-label": "Keeps" }, schedule.ttl || "30d"),
        h("td", { role: "cell", "data-label": "Next run", class: "next-run" },
          runs ? [timeElement(runs.nextRun), h("span", { class: "muted" }, ` ${formatRelative(next, ctx.now)}`)] : "\u2026"),
        h("td", { role: "cell", class: "actions" },
          schedule.isSystemBackup
            ? null
            : h("button", {
              type: "button", class: "quiet", "data-key": `delete:${schedule.id}`,
              "aria-label": `Delete the schedule ${schedule.description || schedule.schedule}`,
              onclick: () => remove(schedule),
            }, "Delete")));
    });
    if (!built.length) {
      built.push(h("tr", { role: "row", class: "empty" }, h("td", { role: "cell", colspan: 5 }, "No schedules.")));
    }
    replaceKeepingFocus(rows, built);
  }

  async function refreshRuns() {
    const project = ctx.project;
    if (!project) return;
    const hours = Math.ceil(future / HOUR) + 1;
    try {
      const { data } = await control("GET", `/_mockapi/next-runs?project=${project.shortId}&hours=${hours}`);
      if (!sameProject(project, ctx)) return;
      ctx.runs = new Map(data.schedules.map((entry) => [entry.id, entry]));
      runsReadAt = Date.parse(data.now);
      showProblem($("#schedules-error"), null);
    } catch (problem) {
      showProblem($("#schedules-error"), problem);
    }
  }

  async function refresh() {
    const project = ctx.project;
    if (!project) return;
    try {
      const { data } = await api("GET", `/v2/projects/${project.shortId}/backup-schedules`);
      if (!sameProject(project, ctx)) return;
      ctx.schedules = data;
      showProblem($("#schedules-error"), null);
    } catch (problem) {
      showProblem($("#schedules-error"), problem);
    }
    await refreshRuns();
    render();
    ctx.redrawTimeline();
  }

  async function remove(schedule) {
    try {
      await api("DELETE", `/v2/project-backup-schedules/${schedule.id}`);
      notify("Schedule deleted; its backups stay.", "ok");
      ctx.changed();
    } catch (problem) {
      notify(problem);
    }
  }

  $("#create-schedule").addEventListener("submit", async (event) => {
    event.preventDefault();
    const project = ctx.project;
    if (!project) return;
    const body = { schedule: $("#schedule-cron").value.trim(), ttl: $("#schedule-ttl").value };
    const description = $("#schedule-description").value.trim();
    if (description) body.description = description;
    try {
      await api("POST", `/v2/projects/${project.shortId}/backup-schedules`, body);
      $("#schedule-description").value = "";
      notify(`Schedule added: ${body.schedule}.`, "ok");
      ctx.changed();
    } catch (problem) {
      notify(problem);
    }
  });

  return {
    refresh,
    /** The clock moved: runs passed are read again (at least every mock hour). */
    async clockMoved() {
      if (!runsReadAt) return; // not read yet: the schedules' first reading reads them
      const earliest = Math.min(...[...ctx.runs.values()].map((entry) => Date.parse(entry.nextRun)));
      if (ctx.now >= earliest || Math.abs(ctx.now - runsReadAt) > HOUR) {
        await refreshRuns();
        ctx.redrawTimeline();
      }
      render();
    },
    /** The timeline shows further ahead: read the runs that far. */
    async spanChanged(span) {
      future = span.future;
      await refreshRuns();
      ctx.redrawTimeline();
    },
    reset() {
      ctx.schedules = [];
      ctx.runs = new Map();
      runsReadAt = 0;
      rendered = "";
      rows.replaceChildren();
    },
  };
}
