# scripts/bench-cycle.sh — the charm development loop rows of scripts/bench (`--cycle`, issue 17
# item 5). Sourced by scripts/bench; uses its helpers (record, gf, lx, since, settle, …).
#
# For each N: one goldfleet environment of N machines with the sample charm (charms/sample) on
# every one, made first and not measured. Then, one after another, each mode's loop: edit the
# MESSAGE line of the charm's install hook, run the mode, and measure the seconds from the edit
# until the command (and its own wait for the hooks) is done; then check, not timed, that every
# unit's /var/lib/sample/message holds the new line. The modes:
#   cycle-refresh  goldfleet cycle FILE --refresh   (juju refresh --path, upgrade-charm on the units)
#   cycle-sync     goldfleet cycle FILE --sync      (changed files into every unit, upgrade-charm via juju exec)
#   cycle-fresh    goldfleet cycle FILE             (fresh machines)
#   cycle-hand-seq the path by hand, without goldfleet, in a model of its own: juju remove-application,
#                  lxc copy from the gold + start + IPv4, the host key and juju's key, juju add-machine
#                  ssh:ubuntu@IP, juju deploy ./charm --to, and a wait until every unit is idle;
#                  the machines one after another (as a person types them, or a plain for loop)
#   cycle-hand     the same with the machines made in parallel (a script that backgrounds each)
# and the report divides the hand path by each mode.

CYCLE_CHARM=$ROOT/charms/sample
CYCLE_APP=sample

# The MESSAGE line of the copy's install hook, as a developer's edit: in place, keeping the mode.
cycle_edit() {      # CHARM MESSAGE
    local file=$1/hooks/install text
    text=$(sed "s|^MESSAGE=.*|MESSAGE=\"$2\"|" "$file")
    printf '%s\n' "$text" >"$file"
}

# Checks, through LXD, that every unit's machine holds MESSAGE; echoes how many do not.
cycle_verify() {    # MESSAGE INSTANCE…
    local message=$1 instance wrong=0
    shift
    for instance in "$@"; do
        [ "$(lx exec "$instance" -- cat /var/lib/sample/message 2>/dev/null)" = "$message" ] || wrong=$((wrong + 1))
    done
    echo "$wrong"
}

# Records a goldfleet cycle mode: runs `goldfleet cycle INVENTORY ARGS… --json` right after an
# edit, with the mean seconds of each phase over the units (from its report) as the steps.
cycle_goldfleet_row() {     # ROW N INVENTORY CHARM INSTANCES-FILE ARGS…
    local row=$1 n=$2 inv=$3 charm=$4 instances_file=$5
    shift 5
    local message="bench $row N=$n $RUNID $RANDOM" out=$WORK/$row-$n.json t0 seconds status=0 ok=true note="" steps wrong
    local -a instances
    mapfile -t instances <"$instances_file"
    t0=$(now)
    cycle_edit "$charm" "$message"
    env "${GF_ENV[@]}" "$GOLDFLEET" cycle "$inv" "$@" --json --juju "$JUJU" >"$out" 2>"$out.err" || status=$?
    seconds=$(since "$t0")
    # Per unit: the phases `cycle` reports (--refresh and fresh: .phases; --sync: sync and hook).
    steps=$(jq -r '.units[]? | if .phases then (.phases[] | "@step \(.name | gsub(" "; "-")) \(.seconds)")
                   else "@step sync \(.syncSeconds)", "@step hook \(.hookSeconds)" end' "$out" 2>/dev/null | step_summary)
    [ -n "$steps" ] || steps='{}'
    wrong=$(cycle_verify "$message" "${instances[@]}")
    if [ "$status" != 0 ]; then
        ok=false; note="exit $status: $(grep -v '^⚠' "$out.err" | tail -n 2 | tr '\n' ' ')"
    elif [ "$wrong" != 0 ]; then
        ok=false; note="$wrong of $n unit(s) do not show the new line after the command"
    fi
    say "$(printf '%-13s N=%-2s %7.2f s  (%s)' "$row" "$n" "$seconds" "${note:-ok, new line on every unit}")"
    record "$row" "$CYCLE_POOL" "$n" "$seconds" "$ok" "$note" "$steps"
}

# The hand path's machine: a fresh clone made ready for juju's manual provider, by hand.
cycle_hand_machine() {      # NAME POOL INDEX
    local name=$1 pool=$2 ip="" deadline=$((SECONDS + BOOT_TIMEOUT)) t=$EPOCHREALTIME
    lxc copy "$GOLD" "$name" -s "$pool" -c "user.goldfleet.bench=$RUNID" >/dev/null || return 1
    lxc start "$name" || return 1
    until ip=$(instance_ipv4 "$name") && [ -n "$ip" ]; do
        [ $SECONDS -lt $deadline ] || { echo "no IPv4 after ${BOOT_TIMEOUT}s"; return 1; }
        sleep $POLL
    done
    mark clone-to-ipv4
    until sshpass -e ssh "${SSH_OPTS[@]}" "ubuntu@$ip" true 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || { echo "no ssh on $ip after ${BOOT_TIMEOUT}s"; return 1; }
        sleep $POLL
    done
    local hostkey
    hostkey=$(ssh-keyscan -T 3 -t ed25519 "$ip" 2>/dev/null) && [ -n "$hostkey" ] || { echo "ssh-keyscan $ip found no host key"; return 1; }
    printf '%s\n' "$hostkey" >>"$HAND_KNOWN_HOSTS"
    sshpass -e ssh "${SSH_OPTS[@]}" "ubuntu@$ip" 'install -d -m 700 ~/.ssh && cat >>~/.ssh/authorized_keys' <"$HAND_JUJU_KEY.pub" || return 1
    local id
    id=$(hand_juju add-machine -m "$HAND_MODEL" "ssh:ubuntu@$ip" 2>&1 | sed -n 's/^created machine \([0-9][0-9]*\)$/\1/p')
    [ -n "$id" ] || { echo "juju add-machine ssh:ubuntu@$ip printed no machine id"; return 1; }
    mark add-machine
    echo "@machine $id $name"
}

hand_juju() { env "${HAND_ENV[@]}" "$JUJU" "$@"; }

# Until every unit of the application is idle (or one is in error): what a person watching
# `juju status` waits for. With the Juju double the hooks ran before deploy returned.
cycle_hand_wait() {     # N
    local deadline=$((SECONDS + BOOT_TIMEOUT)) idle
    while :; do
        idle=$(hand_juju status -m "$HAND_MODEL" --format=json 2>/dev/null \
            | jq --arg app "$CYCLE_APP" '[.applications[$app].units // {} | to_entries[] | .value["juju-status"].current
                                         | select(. == "idle" or . == "error")] | length')
        [ "${idle:-0}" -ge "$1" ] && return 0
        [ $SECONDS -lt $deadline ] || return 1
        sleep $POLL
    done
}

# The whole hand path once (N fresh machines, the charm deployed on them); echoes its log lines.
cycle_hand_once() {     # N PREFIX CHARM parallel|sequential
    local n=$1 prefix=$2 charm=$3 how=${4:-parallel} t=$EPOCHREALTIME failed ids
    if hand_juju status -m "$HAND_MODEL" --format=json 2>/dev/null | jq -e --arg app "$CYCLE_APP" '.applications[$app]' >/dev/null; then
        hand_juju remove-application -m "$HAND_MODEL" "$CYCLE_APP" --no-prompt >/dev/null 2>&1 \
            || hand_juju remove-application -m "$HAND_MODEL" "$CYCLE_APP" >/dev/null || return 1
        # A real juju removes it in the background; the name is free once it is gone.
        local deadline=$((SECONDS + BOOT_TIMEOUT))
        while hand_juju status -m "$HAND_MODEL" --format=json 2>/dev/null | jq -e --arg app "$CYCLE_APP" '.applications[$app]' >/dev/null; do
            [ $SECONDS -lt $deadline ] || { echo "$CYCLE_APP was not removed"; return 1; }
            sleep $POLL
        done
    fi
    mark remove-application
    failed=$(run_machines "$how" cycle_hand_machine "$CYCLE_POOL" "$n" "$prefix")
    cat "$WORK/$prefix"-*.log | grep '^@step ' | step_summary >"$WORK/$prefix.machines.json"
    [ "$failed" = 0 ] || { cat "$WORK/$prefix"-*.log | grep -v '^@' | tail -n 2; return 1; }
    mark machines
    mapfile -t ids < <(cat "$WORK/$prefix"-*.log | awk '$1 == "@machine" { print $2 }' | sort -n)
    hand_juju deploy -m "$HAND_MODEL" "$charm" "$CYCLE_APP" -n "$n" --to "$(IFS=,; echo "${ids[*]}")" >/dev/null || return 1
    mark deploy
    cycle_hand_wait "$n" || { echo "the units did not become idle"; return 1; }
    mark hooks
    cat "$WORK/$prefix"-*.log | awk '$1 == "@machine" { print $3 }' >"$WORK/$prefix.instances"
}

# The hand path as a row: `sequential` is a person (or a plain for loop) making the machines one
# after another, `parallel` a script that backgrounds each machine.
cycle_hand_row() {      # N parallel|sequential
    local n=$1 how=$2 row=cycle-hand charm
    [ "$how" = sequential ] && row=cycle-hand-seq
    charm=$WORK/$row-$n/sample
    if [ -n "$JUJU_NOTE" ]; then
        record "$row" "$CYCLE_POOL" "$n" "" null "$JUJU_NOTE"
        return
    fi
    HAND_MODEL="gfb-$SHORT-$row-$n"
    HAND_ENV=(HOME="$WORK/hand-home" JUJU_DATA="$WORK/hand-juju-data" JUJU_DOUBLE_KNOWN_HOSTS="$WORK/hand-home/.ssh/known_hosts")
    HAND_JUJU_KEY=$WORK/hand-juju-data/ssh/juju_id_rsa
    HAND_KNOWN_HOSTS=$WORK/hand-home/.ssh/known_hosts
    if [ ! -f "$HAND_JUJU_KEY" ]; then
        mkdir -p "$WORK/hand-home/.ssh" "$WORK/hand-juju-data/ssh"
        chmod 700 "$WORK/hand-home/.ssh" "$WORK/hand-juju-data/ssh"
        ssh-keygen -q -t rsa -b 2048 -N "" -C juju-client-key -f "$HAND_JUJU_KEY"
    fi
    : >"$HAND_KNOWN_HOSTS"
    mkdir -p "$(dirname "$charm")"
    cp -r "$CYCLE_CHARM" "$charm"
    hand_juju add-model "$HAND_MODEL" >/dev/null 2>&1 || true
    # First deployment, not measured: what the developer has before the edit.
    if ! cycle_hand_once "$n" "gfb-$SHORT-hs-$n" "$charm" "$how" >"$WORK/hand-setup-$n.log" 2>&1; then
        record "$row" "$CYCLE_POOL" "$n" "" false "setting up the hand path failed: $(grep -v '^@' "$WORK/hand-setup-$n.log" | tail -n 2 | tr '\n' ' ')"
        return
    fi
    local message="bench $row N=$n $RUNID $RANDOM" t0 seconds ok=true note="" steps wrong status=0
    local -a instances
    t0=$(now)
    cycle_edit "$charm" "$message"
    cycle_hand_once "$n" "gfb-$SHORT-hm-$n" "$charm" "$how" >"$WORK/hand-$n.log" 2>&1 || status=$?
    seconds=$(since "$t0")
    # The phases of the whole path; the machines' own steps (clone to IPv4, add-machine), mean
    # over the machines, as machine_steps.
    steps=$(jq -c --slurpfile m "$WORK/gfb-$SHORT-hm-$n.machines.json" '. + {machine_steps: ($m[0].steps_mean // {})}' \
        <<<"$(grep '^@step ' "$WORK/hand-$n.log" | step_summary)" 2>/dev/null) || steps='{}'
    mapfile -t instances <"$WORK/gfb-$SHORT-hm-$n.instances" 2>/dev/null || instances=()
    wrong=$(cycle_verify "$message" "${instances[@]}")
    if [ "$status" != 0 ]; then
        ok=false; note="failed: $(grep -v '^@' "$WORK/hand-$n.log" | tail -n 2 | tr '\n' ' ')"
    elif [ ${#instances[@]} != "$n" ] || [ "$wrong" != 0 ]; then
        ok=false; note="$wrong of $n unit(s) do not show the new line"
    fi
    say "$(printf '%-13s N=%-2s %7.2f s  (%s)' "$row" "$n" "$seconds" "${note:-ok, new line on every unit}")"
    record "$row" "$CYCLE_POOL" "$n" "$seconds" "$ok" "$note" "$steps"
    hand_juju destroy-model "$HAND_MODEL" --no-prompt --force >/dev/null 2>&1 || true
    delete_tagged
}

# goldfleet's environment for N: the sample charm on N machines, brought up (not measured).
cycle_rows() {      # N
    local n=$1
    CYCLE_POOL=${POOL_LIST[0]}
    if [ -z "$GOLDFLEET" ]; then
        local row
        for row in cycle-fresh cycle-refresh cycle-sync; do record "$row" "$CYCLE_POOL" "$n" "" null "$GOLDFLEET_NOTE"; done
    else
        local env="gfb-$SHORT-cy-$n" dir=$WORK/cycle-$n
        local inv=$dir/$env.yaml instances_file=$dir/instances
        GF_ENVS+=("$env")
        mkdir -p "$dir"
        cp -r "$CYCLE_CHARM" "$dir/sample"
        write_inventory "$inv" "$env" "$CYCLE_POOL" "$n" "$WHEELHOUSE"
        printf '  applications:\n    %s: {charm: ./sample, to: [node]}\n' "$CYCLE_APP" >>"$inv"
        local i
        for i in $(seq 1 "$n"); do echo "$env-node-$i"; done >"$instances_file"
        if gf up "$inv" --json >"$dir/up.json" 2>"$dir/up.err"; then
            cycle_goldfleet_row cycle-refresh "$n" "$inv" "$dir/sample" "$instances_file" --refresh
            # The first sync to a unit copies the whole charm; the loop's steady state is the next one.
            cycle_goldfleet_row cycle-sync-first "$n" "$inv" "$dir/sample" "$instances_file" --sync
            cycle_goldfleet_row cycle-sync "$n" "$inv" "$dir/sample" "$instances_file" --sync
            cycle_goldfleet_row cycle-fresh "$n" "$inv" "$dir/sample" "$instances_file"
        else
            local row note
            note="goldfleet up of the cycle environment failed: $(gf_error "$dir/up.json")"
            for row in cycle-fresh cycle-refresh cycle-sync; do record "$row" "$CYCLE_POOL" "$n" "" false "$note"; done
        fi
        gf down "$inv" >/dev/null 2>&1 || true
        delete_environment "$env" >/dev/null
        settle
    fi
    cycle_hand_row "$n" sequential
    settle
    cycle_hand_row "$n" parallel
    settle
}
