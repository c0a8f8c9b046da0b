// The charts of a run, drawn with uPlot from the series JSON of RunSeries. Shared by the live
// dashboard (index.html fetches api/series) and the run report (report.html embeds the series),
// so both show the same charts.
//
// Contract with the browser test (it loads the page headless and reads the DOM): every chart's
// container has class "chart", a data-series attribute naming it, and a data-points attribute
// with the number of non-null points the chart plotted at its last draw, summed over its lines
// (0 before any data). The containers exist as soon as makeCharts() ran, before any data.

// The x column of each table: trainer steps, held-out evaluations (at the trainer step they
// followed), progress windows and consumer-lag readings (seconds since the run started).
const X = {steps: "step", heldout: "trainer_step", windows: "seconds", lag: "seconds",
           replica_versions: "seconds", replica_groups: "seconds"};

// Each chart: its name (data-series), title, and lines as [table, column, label, colour].
// A chart with `table` draws every column of that table but x (after its `lines`, if any).
const CHARTS = [
  {id: "reward", title: "Reward: mean of the groups trained on, and held-out evaluations",
   lines: [["steps", "reward_mean", "trained groups", "#1b7837"],
           ["heldout", "reward_mean", "held-out", "#e08214"]]},
  {id: "kl", title: "KL to the reference", lines: [["steps", "kl", "kl", "#762a83"]],
   note: "empty when the KL coefficient trainer.beta is 0: the trainer then scores no "
       + "reference model and reports no KL"},
  {id: "loss", title: "Loss", lines: [["steps", "loss", "loss", "#b2182b"]]},
  {id: "clip_fraction", title: "Clip fraction",
   lines: [["steps", "clip_fraction", "clip fraction", "#2166ac"]]},
  {id: "staleness", title: "Staleness (versions behind)",
   lines: [["steps", "staleness_mean", "staleness", "#8c510a"]]},
  {id: "throughput", title: "Throughput per stage (per second, per 5 s window)",
   lines: [["windows", "prompts_per_second", "prompts", "#5e3c99"],
           ["windows", "rollouts_per_second", "rollouts", "#4393c3"],
           ["windows", "scored_per_second", "scored", "#01665e"],
           ["windows", "steps_per_second", "trainer steps", "#d6604d"]]},
  {id: "policy_versions",
   title: "Policy versions: newest checkpoint, newest on scored groups (the fleet), and the "
       + "version each rollout replica serves",
   lines: [["windows", "checkpoint", "checkpoint", "#d6604d"],
           ["windows", "fleet_version", "fleet", "#4393c3"]],
   table: "replica_versions"},
  {id: "replica_groups", title: "Groups per second per replica (per 5 s window)",
   table: "replica_groups"},
  {id: "consumer_lag", title: "Consumer lag (records) per consumer group", table: "lag",
   note: "trainer-service commits no offsets to Kafka: its lag is the scored records after "
       + "the offsets of its newest checkpoint, so it falls back at every checkpoint"},
];
const PALETTE = ["#1b7837", "#762a83", "#e08214", "#2166ac", "#b2182b", "#01665e", "#8c510a"];
const plots = {};

// Creates every chart's container (data-points 0) in `root`; the plots come with the data.
function makeCharts(root) {
  for (const chart of CHARTS) {
    const box = document.createElement("div");
    box.className = "chart";
    box.dataset.series = chart.id;
    box.dataset.points = "0";
    const title = document.createElement("h2");
    title.textContent = chart.title;
    box.appendChild(title);
    if (chart.note) {
      const note = document.createElement("p");
      note.className = "note";
      note.textContent = chart.note;
      box.appendChild(note);
    }
    root.appendChild(box);
  }
}

function linesOf(chart, data) {
  const fixed = chart.lines || [];
  if (!chart.table) {
    return fixed;
  }
  const table = data[chart.table] || {};
  return fixed.concat(Object.keys(table).filter(c => c !== X[chart.table]).sort()
      .map((c, i) => [chart.table, c, c, PALETTE[(i + fixed.length) % PALETTE.length]]));
}

// uPlot wants one shared x column: the union of the lines' x values, each line null where it
// has no point (a held-out evaluation falls between trainer steps, or on one).
function aligned(lines, data) {
  const xs = [...new Set(lines.flatMap(([t]) => (data[t] || {})[X[t]] || []))]
      .sort((a, b) => a - b);
  const columns = [xs];
  for (const [t, column] of lines) {
    const table = data[t] || {};
    const values = new Map();
    (table[X[t]] || []).forEach((x, i) => values.set(x, (table[column] || [])[i]));
    columns.push(xs.map(x => values.get(x) ?? null));
  }
  return columns;
}

function drawChart(chart, data) {
  const box = document.querySelector('.chart[data-series="' + chart.id + '"]');
  const lines = linesOf(chart, data);
  const columns = aligned(lines, data);
  const shape = lines.map(l => l[2]).join("|");
  if (plots[chart.id] && plots[chart.id].shape !== shape) {
    // The lag chart gains a line when a consumer group first commits, the replica charts when
    // a replica starts: build it again.
    plots[chart.id].plot.destroy();
    delete plots[chart.id];
  }
  if (!plots[chart.id]) {
    const plot = new uPlot({
      width: 460, height: 220, scales: {x: {time: false}},
      series: [{label: X[lines.length ? lines[0][0] : "steps"]},
               ...lines.map(l => ({label: l[2], stroke: l[3], width: 2, spanGaps: true,
                                   points: {show: true, size: 4}}))],
    }, columns, box);
    plots[chart.id] = {plot, shape};
  } else {
    plots[chart.id].plot.setData(columns);
  }
  box.dataset.points = String(columns.slice(1)
      .reduce((n, column) => n + column.filter(v => v !== null).length, 0));
}

// Draws (or redraws) every chart from one series JSON.
function drawCharts(data) {
  for (const chart of CHARTS) {
    drawChart(chart, data);
  }
}
