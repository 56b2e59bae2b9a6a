#!/usr/bin/env python3
"""scripts/bench-report.py — turns the result lines of scripts/bench into its markdown report
(printed, and written next to the JSON) and its JSON file. Called by scripts/bench only."""

import argparse
import json
import statistics
import sys

# The targets the report checks (issue 10).
UP_VS_FLOOR_MAX = 1.3
UP_VS_SEED_SEQ_MIN = 2.0
COPY_VS_SCP_MIN = 0.8
NOOP_UP_MAX_SECONDS = 2.0
MAX_RSS_MB = 64
TARGET_N = 8
RSS_TARGET_N = 16

# goldfleet's pipeline steps in order (MachineStep); the shell rows log the same names.
STEP_ORDER = ["clone", "start", "address", "host-key", "login", "verify", "juju-keys", "wheelhouse",
              "pip-install", "register", "record"]
STEP_ROWS = [("floor", "floor"), ("seed-seq", "seed, sequential"), ("seed-par", "seed, parallel"),
             ("goldfleet-up", "goldfleet up")]
# The cluster rows: the same N machines all on one member, or spread round-robin over every member.
CLUSTER_LAYOUTS = ["one", "spread"]
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}
# The charm loop (issue 17): goldfleet's cycle modes against the path by hand, and their targets
# (reported, never enforced).
CYCLE_MODES = [("cycle-fresh", "`cycle` (fresh machines)"), ("cycle-refresh", "`cycle --refresh`"),
               ("cycle-sync", "`cycle --sync`"), ("cycle-sync-first", "`cycle --sync`, first run (whole charm copied)")]
# By hand: remove-application, lxc copy, add-machine, deploy --to. The targets compare with the
# machines made one after another (as the seed's sequential path above); the parallel one is shown.
CYCLE_HAND = ("cycle-hand-seq", "by hand, one machine after another")
CYCLE_HAND_PARALLEL = ("cycle-hand", "by hand, machines in parallel")
CYCLE_TARGETS = [("cycle-fresh", 4, 15.0), ("cycle-refresh", 4, 5.0), ("cycle-sync", 4, 2.0)]
CYCLE_VS_HAND_MIN = 2.0
# The phases in the order they happen (step_summary sorts them by name).
CYCLE_PHASE_ORDER = ["remove-application", "machines", "clone-to-ipv4", "add-machine", "deploy", "hooks",
                     "charm-uploaded", "sync", "hook", "upgrade-charm-hook", "config-changed-hook"]


def in_phase_order(phases):
    known = [k for k in CYCLE_PHASE_ORDER if k in phases]
    return [(k, phases[k]) for k in known + sorted(set(phases) - set(known))]
CLUSTER_ROWS = [("cluster-floor", "floor: launch from the image + boot to IPv4"),
                ("cluster-up", "`goldfleet up`"), ("cluster-down", "`goldfleet down`")]


def parse_args():
    parser = argparse.ArgumentParser()
    for name in ["results", "json", "markdown", "run-id", "started", "seconds", "machine", "pools", "sizes", "rows"]:
        parser.add_argument("--" + name, required=True)
    return parser.parse_args()


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def seconds_text(value):
    return "—" if value is None else f"{value:.2f} s"


def ratio_text(value):
    return f"{value:.2f}×"


class Report:
    def __init__(self, args):
        self.args = args
        self.machine = json.loads(args.machine)
        self.results = load(args.results)
        self.pools = [p for p in args.pools.split(",") if p]
        self.sizes = [int(n) for n in args.sizes.split(",") if n]
        self.drivers = dict(item.split("=", 1) for item in self.machine.get("pools", "").split(", ") if "=" in item)
        self.rows = [r for r in args.rows.split(",") if r]
        self.single_host = any(r not in ("cluster", "cycle") for r in self.rows)
        self.notes = []
        self.copies = []
        self.targets = []
        self.cluster = []

    def find(self, row, pool, n):
        for result in self.results:
            if result["row"] == row and result["pool"] == pool and result["n"] == n:
                return result
        return None

    def good_seconds(self, row, pool, n):
        result = self.find(row, pool, n)
        return result["seconds"] if result and result["ok"] else None

    def note(self, text):
        """A numbered footnote; returns its marker."""
        if text not in self.notes:
            self.notes.append(text)
        return f"[{self.notes.index(text) + 1}]"

    def result_cell(self, result, floor=None, ratio_suffix=""):
        """A result's time, with its ratio to `floor` when there is one, or why there is none."""
        if result is None:
            return "·"
        if result["ok"] is None:
            return "skipped " + self.note(result["note"])
        text = seconds_text(result["seconds"])
        if not result["ok"]:
            return f"FAILED {self.note(result['note'])} ({text})"
        if floor and result["seconds"] is not None:
            text += f" ({ratio_text(result['seconds'] / floor)}{ratio_suffix})"
        return text

    def cell(self, row, pool, n, floor=None):
        """A time, with its ratio to the floor when there is one, or why there is none."""
        result = self.find(row, pool, n)
        text = self.result_cell(result, floor)
        if result and result["ok"] and result.get("note"):
            text += " " + self.note(result["note"])
        return text

    def pool_table(self, pool):
        lines = [
            f"### Pool `{pool}` ({self.drivers.get(pool, '?')})",
            "",
            "| N | floor | seed, sequential | seed, parallel | goldfleet up | up vs seed seq | no-change up | reset node-1 | down + up | down | up max RSS |",
            "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for n in self.sizes:
            floor = self.good_seconds("floor", pool, n)
            up = self.good_seconds("goldfleet-up", pool, n)
            seq = self.good_seconds("seed-seq", pool, n)
            speedup = f"{seq / up:.2f}× faster" if up and seq else "—"
            up_result = self.find("goldfleet-up", pool, n)
            rss = up_result.get("max_rss_kb") if up_result else None
            lines.append("| " + " | ".join([
                str(n),
                self.cell("floor", pool, n),
                self.cell("seed-seq", pool, n, floor),
                self.cell("seed-par", pool, n, floor),
                self.cell("goldfleet-up", pool, n, floor),
                speedup,
                self.cell("goldfleet-noop-up", pool, n),
                self.cell("goldfleet-reset-1", pool, n),
                self.cell("goldfleet-recreate", pool, n, floor),
                self.cell("goldfleet-down", pool, n),
                f"{rss / 1024:.1f} MB" if rss else "—",
            ]) + " |")
        if any(self.find(row, pool, n) for row in ("seed-seq", "seed-par") for n in self.sizes):
            lines += ["", "Both seed paths end, like `goldfleet up`, with `juju add-machine ssh:ubuntu@IP` for each "
                      "machine (after `juju add-model`, the host key and juju's key), against the same juju client."]
        return lines

    def steps_table(self, pool):
        """Mean seconds per machine in each step, at the largest N: where the time goes."""
        n = max(self.sizes)
        rows = [(label, self.find(row, pool, n)) for row, label in STEP_ROWS]
        rows = [(label, r["steps_mean"]) for label, r in rows if r and r.get("steps_mean")]
        if not rows:
            return []
        seen = {step for _, steps in rows for step in steps}
        steps = [s for s in STEP_ORDER if s in seen] + sorted(seen - set(STEP_ORDER))
        lines = [f"Mean seconds per machine in each step, pool `{pool}`, N={n}:", "",
                 "| row | " + " | ".join(steps) + " |", "|---|" + "--:|" * len(steps)]
        for label, means in rows:
            lines.append(f"| {label} | " + " | ".join(f"{means[s]:.2f}" if s in means else "" for s in steps) + " |")
        return lines + [""]

    def copy_table(self):
        rows = [r for r in self.results if r["row"] == "copy"]
        if not rows:
            return []
        lines = [
            f"### Copy throughput (pool `{rows[0]['pool']}`, median of {max(len(r['scp_seconds']) for r in rows)}; MB = 10⁶ bytes)",
            "",
            "| data | size | OpenSSH scp -r | goldfleet wheelhouse step | goldfleet ÷ scp |",
            "|---|--:|--:|--:|--:|",
        ]
        for row in rows:
            mb = row["bytes"] / 1e6
            scp = statistics.median(row["scp_seconds"]) if row["scp_seconds"] else None
            gf = statistics.median(row["goldfleet_seconds"]) if row["goldfleet_seconds"] else None
            scp_rate = mb / scp if scp else None
            gf_rate = mb / gf if gf else None
            ratio = gf_rate / scp_rate if gf_rate and scp_rate else None
            label = "one 50 MB file" if row["data"] == "50mb" else f"wheelhouse ({row['files']} wheels)"
            gf_text = f"{gf_rate:.1f} MB/s ({gf:.2f} s)" if gf_rate else ("skipped " + self.note(row["note"]) if row["note"] else "—")
            lines.append(f"| {label} | {mb:.1f} MB | "
                         + (f"{scp_rate:.1f} MB/s ({scp:.2f} s)" if scp_rate else "FAILED") + f" | {gf_text} | "
                         + (ratio_text(ratio) if ratio else "—") + " |")
            self.copies.append({"data": row["data"], "bytes": row["bytes"], "files": row["files"],
                                "scp_seconds": row["scp_seconds"], "goldfleet_seconds": row["goldfleet_seconds"],
                                "scp_mb_per_s": scp_rate, "goldfleet_mb_per_s": gf_rate, "ratio": ratio})
        return lines

    def find_cluster(self, row, layout, n):
        for result in self.results:
            if result["row"] == row and result.get("layout") == layout and result["n"] == n:
                return result
        return None

    def cluster_seconds(self, row, layout, n):
        result = self.find_cluster(row, layout, n)
        return result["seconds"] if result and result["ok"] else None

    def cluster_cell(self, row, layout, n):
        """A cluster time, with its ratio to the floor of the same layout for goldfleet's up."""
        floor = self.cluster_seconds("cluster-floor", layout, n) if row == "cluster-up" else None
        return self.result_cell(self.find_cluster(row, layout, n), floor, " its floor")

    @staticmethod
    def placement_text(placement):
        return ", ".join(f"{member}×{count}" for member, count in sorted((placement or {}).items())) or "—"

    def cluster_table(self):
        if not any(r["row"].startswith("cluster-") for r in self.results):
            return []
        info = self.machine.get("cluster") or {}
        members = info.get("members") or []
        one = members[0] if members else "one member"
        spread = ", ".join(members) if members else "every member"
        lines = [
            f"### Cluster: one member vs {NUMBER_WORDS.get(len(members), len(members) or 'all')}",
            "",
            f"The lab cluster (`scripts/lab-cluster`): LXD {info.get('lxd', '?')} at `{info.get('url', '?')}`, "
            f"members {spread}, pool `{info.get('pool', '?')}` ({info.get('driver', '?')}), "
            f"image alias `{info.get('image', '?')}`. The same N machines all `target: {one}`, "
            f"or spread round-robin over {spread}. `spread ÷ one` below 1× means spreading was faster; "
            "`(1.23× its floor)` = goldfleet's `up` ÷ the floor of the same layout.",
            "",
            f"| N | row | one member ({one}) | spread ({spread}) | spread ÷ one |",
            "|--:|---|--:|--:|--:|",
        ]
        for n in self.sizes:
            entry = {"n": n}
            for row, label in CLUSTER_ROWS:
                a, b = self.cluster_seconds(row, "one", n), self.cluster_seconds(row, "spread", n)
                ratio = b / a if a and b else None
                lines.append(f"| {n} | {label} | {self.cluster_cell(row, 'one', n)} | {self.cluster_cell(row, 'spread', n)} | "
                             + (ratio_text(ratio) if ratio else "—") + " |")
                entry[row] = {"one": a, "spread": b, "spread_over_one": ratio}
            ups = [self.find_cluster("cluster-up", layout, n) for layout in CLUSTER_LAYOUTS]
            rss = [f"{u['max_rss_kb'] / 1024:.1f} MB" if u and u.get("max_rss_kb") else "—" for u in ups]
            lines.append(f"| {n} | peak RSS of `goldfleet up` | {rss[0]} | {rss[1]} | |")
            for layout in CLUSTER_LAYOUTS:
                floor, up = self.cluster_seconds("cluster-floor", layout, n), self.cluster_seconds("cluster-up", layout, n)
                entry[f"up_over_floor_{layout}"] = up / floor if up and floor else None
            self.cluster.append(entry)
        lines += ["", "Where the machines went, and mean / slowest seconds per machine (its steps added up) on each member:", "",
                  "| N | layout | row | placement | per member: mean / max s per machine |", "|--:|---|---|---|---|"]
        for n in self.sizes:
            for layout in CLUSTER_LAYOUTS:
                for row, label in CLUSTER_ROWS[:2]:
                    result = self.find_cluster(row, layout, n)
                    if not result or not result.get("per_member"):
                        continue
                    per_member = "; ".join(f"{m}: {v['mean_seconds']:.2f} / {v['max_seconds']:.2f}"
                                           for m, v in sorted(result["per_member"].items()))
                    lines.append(f"| {n} | {layout} | {label.split(':')[0]} | {self.placement_text(result.get('placement'))} | {per_member} |")
        n = max(self.sizes)
        step_rows = [(f"{label.split(':')[0]}, {layout}", self.find_cluster(row, layout, n))
                     for row, label in CLUSTER_ROWS[:2] for layout in CLUSTER_LAYOUTS]
        step_rows = [(label, r["steps_mean"]) for label, r in step_rows if r and r.get("steps_mean")]
        if step_rows:
            seen = {step for _, steps in step_rows for step in steps}
            steps = [s for s in STEP_ORDER if s in seen] + sorted(seen - set(STEP_ORDER))
            lines += ["", f"Mean seconds per machine in each step on the cluster, N={n} (`clone` = create from the image):", "",
                      "| row | " + " | ".join(steps) + " |", "|---|" + "--:|" * len(steps)]
            for label, means in step_rows:
                lines.append(f"| {label} | " + " | ".join(f"{means[s]:.2f}" if s in means else "" for s in steps) + " |")
        lines += ["", f"Read with care: the {len(members) or 'cluster'} members are LXD daemons on **this one machine** "
                  f"({self.machine['nproc']} cores, {self.machine['memory_mib'] / 1024:.1f} GiB; all their storage in one "
                  f"{info.get('storage', '?')} file system). "
                  "They share its cores, so spreading shows what the cluster's API path costs or saves (requests "
                  "forwarded from the member goldfleet talks to, several daemons unpacking and starting instances "
                  "at once instead of one), not the gain of more hardware: on a real cluster each member brings "
                  "its own CPUs and disks. Other work on the machine skews every number (see the load average "
                  "above); compare within one run."]
        return lines

    def cycle_table(self):
        if not any(r["row"].startswith("cycle-") for r in self.results):
            return []
        pool = next((r["pool"] for r in self.results if r["row"].startswith("cycle-")), "?")
        lines = [
            f"### The charm loop: edit → the new line ran on every unit (pool `{pool}`, charms/sample)",
            "",
            "Seconds from the edit of the install hook's MESSAGE line until the command (and its own wait for the "
            "hooks) was done; every row then checked, through LXD, that every unit's /var/lib/sample/message holds "
            "the new line. By hand = `juju remove-application`, `lxc copy` from the gold, `juju add-machine`, "
            "`juju deploy ./charm --to`. `(5.0× faster)` = the path by hand, one machine after another ÷ that mode. "
            "The seed's loop: 5–10 minutes.",
            "",
            "| N | " + " | ".join(label for _, label in CYCLE_MODES + [CYCLE_HAND, CYCLE_HAND_PARALLEL]) + " |",
            "|--:|" + "--:|" * (len(CYCLE_MODES) + 2),
        ]
        for n in self.sizes:
            hand = self.good_seconds(CYCLE_HAND[0], pool, n)
            cells = []
            for row, _ in CYCLE_MODES:
                result = self.find(row, pool, n)
                text = self.result_cell(result)
                if result and result["ok"] is None and result["note"].startswith("n/a"):
                    text = result["note"].split(":")[0] + " " + self.note(result["note"])
                if result and result["ok"] and hand and result["seconds"]:
                    text += f" ({hand / result['seconds']:.1f}× faster)"
                cells.append(text)
            cells.append(self.result_cell(self.find(CYCLE_HAND[0], pool, n)))
            cells.append(self.result_cell(self.find(CYCLE_HAND_PARALLEL[0], pool, n)))
            lines.append(f"| {n} | " + " | ".join(cells) + " |")
        lines += ["", "Where the time went (mean seconds per unit for goldfleet's phases; once per run for the hand path, "
                  "its per-machine steps in brackets):", "", "| N | row | phases |", "|--:|---|---|"]
        for n in self.sizes:
            for row, label in CYCLE_MODES + [CYCLE_HAND, CYCLE_HAND_PARALLEL]:
                result = self.find(row, pool, n)
                if not result or not result.get("steps_mean"):
                    continue
                text = ", ".join(f"{k} {v:.2f}" for k, v in in_phase_order(result["steps_mean"]))
                if result.get("machine_steps"):
                    text += " [" + ", ".join(f"{k} {v:.2f}" for k, v in in_phase_order(result["machine_steps"])) + "]"
                lines.append(f"| {n} | {label} | {text} |")
        return lines

    def check_cycle_targets(self):
        pool = next((r["pool"] for r in self.results if r["row"].startswith("cycle-")), None)
        hand_n = max(self.sizes, default=0)
        for row, n, limit in CYCLE_TARGETS:
            label = dict(CYCLE_MODES)[row]
            name = f"{label} of {n} units ≤ {limit:.0f} s"
            seconds = self.good_seconds(row, pool, n)
            if seconds is not None:
                self.target(name, seconds, seconds <= limit, f"{seconds:.2f} s")
            else:
                self.target(name, None, None, self.why_missing(row, pool, n))
        hand = self.good_seconds(CYCLE_HAND[0], pool, hand_n)
        for row, label in CYCLE_MODES[:3]:
            name = f"{label} ≥ {CYCLE_VS_HAND_MIN:.0f}× faster than by hand, one machine after another (N={hand_n})"
            seconds = self.good_seconds(row, pool, hand_n)
            if seconds and hand:
                self.target(name, hand / seconds, hand / seconds >= CYCLE_VS_HAND_MIN, f"{ratio_text(hand / seconds)} ({hand:.2f} s vs {seconds:.2f} s)")
            else:
                self.target(name, None, None, self.why_missing(row if not seconds else CYCLE_HAND[0], pool, hand_n))

    def target(self, name, value, passed, detail):
        verdict = "SKIP" if passed is None else ("PASS" if passed else "FAIL")
        self.targets.append({"target": name, "value": value, "verdict": verdict, "detail": detail})

    def check_targets(self):
        btrfs = next((p for p in self.pools if self.drivers.get(p) == "btrfs"), None)
        up = self.good_seconds("goldfleet-up", btrfs, TARGET_N) if btrfs else None
        floor = self.good_seconds("floor", btrfs, TARGET_N) if btrfs else None
        seq = self.good_seconds("seed-seq", btrfs, TARGET_N) if btrfs else None
        why = self.why_missing("goldfleet-up", btrfs, TARGET_N)

        name = f"`up` N={TARGET_N} on btrfs ≤ {UP_VS_FLOOR_MAX}× the floor"
        if up and floor:
            self.target(name, up / floor, up / floor <= UP_VS_FLOOR_MAX, f"{ratio_text(up / floor)} ({up:.2f} s vs {floor:.2f} s)")
        else:
            self.target(name, None, None, why or self.why_missing("floor", btrfs, TARGET_N))

        name = f"`up` N={TARGET_N} on btrfs ≥ {UP_VS_SEED_SEQ_MIN}× faster than the sequential seed path"
        if up and seq:
            self.target(name, seq / up, seq / up >= UP_VS_SEED_SEQ_MIN, f"{ratio_text(seq / up)} ({seq:.2f} s vs {up:.2f} s)")
        else:
            self.target(name, None, None, why or self.why_missing("seed-seq", btrfs, TARGET_N))

        for copy in self.copies:
            label = "50 MB file" if copy["data"] == "50mb" else "wheelhouse"
            name = f"wheelhouse copy ≥ {COPY_VS_SCP_MIN}× scp ({label})"
            if copy["ratio"]:
                self.target(name, copy["ratio"], copy["ratio"] >= COPY_VS_SCP_MIN,
                            f"{ratio_text(copy['ratio'])} ({copy['goldfleet_mb_per_s']:.1f} vs {copy['scp_mb_per_s']:.1f} MB/s)")
            else:
                self.target(name, None, None, "not measured (goldfleet skipped or a copy failed)")
        if not self.copies:
            self.target(f"wheelhouse copy ≥ {COPY_VS_SCP_MIN}× scp", None, None, "copy row not run")

        name = f"no-change `up` of {TARGET_N} < {NOOP_UP_MAX_SECONDS:.0f} s"
        pool = btrfs or (self.pools[0] if self.pools else None)
        noop = self.good_seconds("goldfleet-noop-up", pool, TARGET_N)
        if noop is not None:
            self.target(name, noop, noop < NOOP_UP_MAX_SECONDS, f"{noop:.2f} s (pool {pool})")
        else:
            self.target(name, None, None, self.why_missing("goldfleet-noop-up", pool, TARGET_N))

        ups = [r for r in self.results if r["row"] == "goldfleet-up" and r.get("max_rss_kb")]
        name = f"max RSS < {MAX_RSS_MB} MB at N={RSS_TARGET_N}"
        if ups:
            largest = max(r["n"] for r in ups)
            rss_mb = max(r["max_rss_kb"] for r in ups if r["n"] == largest) / 1024
            detail = f"{rss_mb:.1f} MB at N={largest}" + ("" if largest >= RSS_TARGET_N else f" (N={RSS_TARGET_N} not run: --with-16)")
            self.target(name, rss_mb, rss_mb < MAX_RSS_MB, detail)
        else:
            self.target(name, None, None, self.why_missing("goldfleet-up", pool, max(self.sizes, default=0)))

    def why_missing(self, row, pool, n):
        result = self.find(row, pool, n) if pool else None
        if pool is None:
            return "no btrfs pool in this run"
        if result is None:
            return f"{row} not run for pool {pool}, N={n}"
        return result["note"] or ("failed" if result["ok"] is False else "skipped")

    @staticmethod
    def load_now():
        try:
            with open("/proc/loadavg") as f:
                return " ".join(f.read().split()[:3])
        except OSError:
            return "?"

    def markdown(self):
        m = self.machine
        minutes, seconds = divmod(round(float(self.args.seconds)), 60)
        lines = [
            f"## goldfleet benchmark — {self.args.started}",
            "",
            f"- machine: `{m['host']}`, {m['nproc']} × {m['cpu']}, {m['memory_mib'] / 1024:.1f} GiB, "
            f"Linux {m['kernel']}, {m['os']}",
            f"- LXD {m['lxd'] or '?'}; pools {m['pools'] or '—'}; {m['openssh']}",
            f"- load average at start: {m['load_at_start']}, at the end: {self.load_now()} "
            "(other work on this machine skews every number; compare within one run)",
            f"- goldfleet: " + (f"`{m['goldfleet']}` (commit {m['commit']})" if m["goldfleet"] else m["goldfleet_note"]),
            f"- run `{self.args.run_id}`, {minutes} min {seconds} s; rows: {self.args.rows}",
            "",
            "Wall-clock seconds. `(1.23×)` next to a time = that time ÷ the floor for the same pool (or cluster layout) and N.",
            "",
        ]
        if self.single_host:
            for pool in self.pools:
                lines += self.pool_table(pool) + [""] + self.steps_table(pool)
            lines += self.copy_table()
            lines += [""]
        cluster = self.cluster_table()
        if cluster:
            lines += cluster + [""]
        cycle = self.cycle_table()
        if cycle:
            lines += cycle + [""]
            self.check_cycle_targets()
        if self.single_host:
            self.check_targets()
        if self.targets:
            lines += ["### Targets (reported, not enforced)", "", "| target | measured | verdict |", "|---|---|---|"]
            for t in self.targets:
                lines.append(f"| {t['target']} | {t['detail']} | **{t['verdict']}** |")
        if self.notes:
            lines += ["", "Notes:", ""] + [f"{i + 1}. {text}" for i, text in enumerate(self.notes)]
        return "\n".join(lines) + "\n"

    def json(self):
        return {
            "run_id": self.args.run_id,
            "started": self.args.started,
            "seconds": float(self.args.seconds),
            "machine": self.machine,
            "options": {"pools": self.pools, "sizes": self.sizes, "rows": self.args.rows.split(",")},
            "results": [r for r in self.results if r["row"] != "copy"],
            "copy": self.copies,
            "cluster": self.cluster,
            "targets": self.targets,
        }


def main():
    args = parse_args()
    report = Report(args)
    text = report.markdown()
    sys.stdout.write(text)
    with open(args.markdown, "w") as f:
        f.write(text)
    with open(args.json, "w") as f:
        json.dump(report.json(), f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
