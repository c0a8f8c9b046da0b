// The charts of a run, drawn with uPlot from the series JSON of RunSeries. Shared by the live
// dashboard (index.html fetches api/series) and the run report (report.html embeds the series),
// so both show the same charts.
//
// Contract with the browser test (it loads the page headless and reads the DOM): every chart's
// container has class "chart", a data-series attribute naming it, and a data-points attribute
// with the number of non-null points the chart plotted at its last draw, summed over its lines
// (0 before any data). The containers exist as soon as makeCharts() ran, before any data.

// The x column of each table: trainer steps, held-out evaluations (at the trainer step they
// followed), win-rate evaluations (at the checkpoint version they evaluated), progress windows
// and consumer-lag readings (seconds since the run started).
const X = {steps: "step", heldout: "trainer_step", winrate: "policy_version", windows: "seconds",
           lag: "seconds", replica_versions: "seconds", replica_groups: "seconds"};
// In a table of intervals, a column named "<series><LOW>" or "<series><HIGH>" is an interval's
// end; the column named "<series>" is the value.
const LOW = " ci_low", HIGH = " ci_high";

// Each chart: its name (data-series), title, and lines as [table, column, label, colour].
// A chart with `table` draws every column of that table but x (after its `lines`, if any);
// with `bands` as well, each series of that table is a line with its interval shaded.
// `range` fixes the y axis.
const CHARTS = [
  {id: "reward", title: "Reward: mean of the groups trained on, its group minimum, and "
       + "held-out evaluations",
   lines: [["steps", "reward_mean", "trained groups", "#1b7837"],
           ["steps", "reward_group_min", "group minimum", "#35978f"],
           ["heldout", "reward_mean", "held-out", "#e08214"]]},
  {id: "win_rate",
   title: "Win rate against the base model per checkpoint, with its 95% interval",
   table: "winrate", bands: true, range: [0, 1],
   note: "one line per evaluation set and decoding; judged in both orders, a win only when "
       + "both prefer the checkpoint; 0.5 is as good as the base model"},
  {id: "zero_advantage",
   title: "Per step: groups with zero advantage (all rewards equal, no gradient) and "
       + "negotiations without agreement",
   lines: [["steps", "zero_advantage_share", "zero-advantage share", "#542788"],
           ["steps", "no_agreement_rate", "no-agreement rate", "#b2182b"]],
   range: [0, 1]},
  {id: "rounds", title: "Rounds per negotiation (mean per step)",
   lines: [["steps", "rounds_mean", "rounds", "#01665e"]]},
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

// A line's look beyond its colour: the value's lines, and an interval's thin dashed ends.
const VALUE = {width: 2, points: {show: true, size: 4}};
const INTERVAL_END = {width: 1, dash: [4, 4], points: {show: false}};

function linesOf(chart, data) {
  const fixed = chart.lines || [];
  if (!chart.table) {
    return fixed;
  }
  const table = data[chart.table] || {};
  const columns = Object.keys(table).filter(c => c !== X[chart.table]).sort();
  if (!chart.bands) {
    return fixed.concat(columns.map((c, i) =>
        [chart.table, c, c, PALETTE[(i + fixed.length) % PALETTE.length]]));
  }
  return fixed.concat(columns.filter(c => !c.endsWith(LOW) && !c.endsWith(HIGH))
      .flatMap((c, i) => {
        const colour = PALETTE[(i + fixed.length) % PALETTE.length];
        return [[chart.table, c, c, colour],
                [chart.table, c + LOW, c + " 95% low", colour, INTERVAL_END],
                [chart.table, c + HIGH, c + " 95% high", colour, INTERVAL_END]];
      }));
}

// uPlot's bands (series indexes count x as 0): each interval's high end down to its low end,
// filled with its line's colour, faint.
function bandsOf(lines) {
  const bands = [];
  lines.forEach((l, i) => {
    if (l[1].endsWith(HIGH)) {
      const low = lines.findIndex(m => m[0] === l[0] && m[1] === l[1].slice(0, -HIGH.length)
          + LOW);
      if (low >= 0) {
        bands.push({series: [i + 1, low + 1], fill: l[3] + "22"});
      }
    }
  });
  return bands;
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
      width: 460, height: 220,
      scales: {x: {time: false}, y: chart.range ? {auto: false, range: chart.range} : {}},
      series: [{label: X[lines.length ? lines[0][0] : "steps"]},
               ...lines.map(l => Object.assign({label: l[2], stroke: l[3], spanGaps: true},
                                               l[4] || VALUE))],
      bands: chart.bands ? bandsOf(lines) : [],
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
