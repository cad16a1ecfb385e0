#!/usr/bin/env bash
# A 3-node MariaDB Galera cluster on loopback, for txkit's Galera tests and benchmarks.
#
#   scripts/galera.sh start          boot (or reuse) the cluster; prints the JDBC URLs
#   scripts/galera.sh stop           stop the nodes this script started; idempotent
#   scripts/galera.sh status         one line per node
#   scripts/galera.sh kill N         SIGKILL node N (1..3): a crash, for node-loss tests
#   scripts/galera.sh start-node N   start node N again; it rejoins the cluster (IST/SST)
#   scripts/galera.sh wait-synced [SIZE]
#                                    wait until every running node is Synced in a cluster of SIZE (default 3)
#
# SQL ports 3316, 3326, 3336 on 127.0.0.1; user root, empty password. Everything lives under
# $TXKIT_GALERA_DIR (default /tmp/txkit-galera); the machine's own MariaDB on 3306 is never touched.
# A start with no node running wipes that directory and bootstraps a new cluster (node 1 with
# --wsrep-new-cluster), so a crashed earlier run never blocks the next one.
set -euo pipefail

base=${TXKIT_GALERA_DIR:-/tmp/txkit-galera}
nodes=(1 2 3)
sql_port() { echo $((3306 + 10 * $1)); }     # 3316 3326 3336
gcomm_port() { echo $((4567 + 10 * $1)); }   # 4577 4587 4597
ist_port() { echo $((4568 + 10 * $1)); }
sst_port() { echo $((4569 + 10 * $1)); }
node_dir() { echo "$base/node$1"; }
cnf() { echo "$base/node$1.cnf"; }
pid_file() { echo "$base/node$1.pid"; }           # written by mariadbd once up
our_pid() { echo "$base/node$1.started"; }        # written by this script at launch

log() { echo "galera: $*" >&2; }

# Failure detection: Galera's defaults (evs.suspect_timeout PT5S, inactive PT15S) freeze writes on
# the survivors for ~6.5 s after a node crashes, longer than txkit's default 5 s transaction timeout.
# These shorter timeouts (fine on a LAN/loopback; keep the defaults across a WAN) bring it to ~2-3 s.
failure_detection=${TXKIT_GALERA_FAILURE_DETECTION:-evs.suspect_timeout=PT2S;evs.inactive_timeout=PT3S;evs.inactive_check_period=PT0.5S;evs.keepalive_period=PT0.5S}

ensure_packages() {
    local missing=()
    [[ -f /usr/lib/galera/libgalera_smm.so ]] || missing+=(galera-4)
    command -v mariabackup >/dev/null 2>&1 || missing+=(mariadb-backup)
    command -v socat >/dev/null 2>&1 || missing+=(socat)
    command -v rsync >/dev/null 2>&1 || missing+=(rsync)
    command -v mariadbd >/dev/null 2>&1 || [[ -x /usr/sbin/mariadbd ]] || missing+=(mariadb-server)
    if (( ${#missing[@]} )); then
        log "installing ${missing[*]}"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

client() { # client N SQL...
    local n=$1; shift
    mariadb --protocol=TCP -h127.0.0.1 -P"$(sql_port "$n")" -uroot --connect-timeout=2 -N -B -e "$*" 2>/dev/null
}

running() { # running N: the node's process is alive
    local pf; pf=$(our_pid "$1")
    [[ -f "$pf" ]] && kill -0 "$(cat "$pf")" 2>/dev/null
}

status_var() { # status_var N NAME
    client "$1" "show global status like '$2'" | awk '{print $2}'
}

write_cnf() {
    local n=$1 d; d=$(node_dir "$n")
    cat > "$(cnf "$n")" <<CNF
[mysqld]
user=root
datadir=$d/data
socket=$d/mysqld.sock
pid-file=$(pid_file "$n")
log-error=$d/error.log
port=$(sql_port "$n")
bind-address=127.0.0.1
skip-name-resolve
innodb_buffer_pool_size=64M
innodb_log_file_size=48M
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
wsrep_on=ON
wsrep_provider=/usr/lib/galera/libgalera_smm.so
wsrep_cluster_name=txkit
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1
wsrep_cluster_address=gcomm://127.0.0.1:$(gcomm_port 1),127.0.0.1:$(gcomm_port 2),127.0.0.1:$(gcomm_port 3)
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "$n");ist.recv_addr=127.0.0.1:$(ist_port "$n");gcache.size=64M;$failure_detection"
wsrep_sst_receive_address=127.0.0.1:$(sst_port "$n")
wsrep_sst_method=mariabackup
wsrep_sst_auth=root:
[client]
socket=$d/mysqld.sock
CNF
}

init_node() {
    local n=$1 d; d=$(node_dir "$n")
    mkdir -p "$d/data"
    write_cnf "$n"
    mariadb-install-db --defaults-file="$(cnf "$n")" --auth-root-authentication-method=normal \
        --skip-test-db >"$d/install.log" 2>&1 || { log "node $n: mariadb-install-db failed"; cat "$d/install.log" >&2; return 1; }
}

launch() { # launch N [extra mariadbd args]
    local n=$1; shift
    # setsid: the node must outlive the shell (and the Maven/JUnit process) that started it.
    setsid /usr/sbin/mariadbd --defaults-file="$(cnf "$n")" "$@" </dev/null >/dev/null 2>&1 &
    echo $! > "$(our_pid "$n")"
}

wait_node_synced() { # wait_node_synced N SECONDS
    local n=$1 limit=$2 i state
    for (( i = 0; i < limit; i++ )); do
        state=$(status_var "$n" wsrep_local_state_comment || true)
        [[ "$state" == "Synced" ]] && return 0
        if ! running "$n" && (( i > 5 )); then
            log "node $n died while starting; last lines of its log:"; tail -n 20 "$(node_dir "$n")/error.log" >&2 || true
            return 1
        fi
        sleep 1
    done
    log "node $n not Synced after ${limit}s (state: ${state:-none})"; tail -n 20 "$(node_dir "$n")/error.log" >&2 || true
    return 1
}

wait_synced() { # wait_synced SIZE SECONDS: every running node Synced and seeing SIZE members
    local size=$1 limit=$2 i n ok
    for (( i = 0; i < limit; i++ )); do
        ok=1
        for n in "${nodes[@]}"; do
            running "$n" || continue
            [[ "$(status_var "$n" wsrep_local_state_comment || true)" == "Synced" ]] || ok=0
            [[ "$(status_var "$n" wsrep_cluster_size || true)" == "$size" ]] || ok=0
        done
        (( ok )) && return 0
        sleep 1
    done
    log "cluster not Synced with size $size after ${limit}s"; return 1
}

print_urls() {
    local n
    for n in "${nodes[@]}"; do echo "jdbc:mariadb://127.0.0.1:$(sql_port "$n")/test"; done
    echo "jdbc:mariadb:sequential://127.0.0.1:$(sql_port 1),127.0.0.1:$(sql_port 2),127.0.0.1:$(sql_port 3)/test?retriesAllDown=3&deniedListTimeout=2000"
}

any_running() { local n; for n in "${nodes[@]}"; do running "$n" && return 0; done; return 1; }

start_node() { # start_node N: (re)start one node of an existing cluster
    local n=$1
    running "$n" && return 0
    [[ -d "$(node_dir "$n")/data/mysql" ]] || init_node "$n"
    launch "$n"
    wait_node_synced "$n" 120
}

cmd_start() {
    ensure_packages
    local t0=$SECONDS n
    if ! any_running; then
        rm -rf "$base"; mkdir -p "$base"
        for n in "${nodes[@]}"; do init_node "$n"; done
        launch 1 --wsrep-new-cluster
        wait_node_synced 1 60
    fi
    for n in "${nodes[@]}"; do
        if ! running "$n"; then start_node "$n"; fi
    done
    wait_synced 3 60
    client 1 "create database if not exists test"
    log "3 nodes Synced in $((SECONDS - t0))s"
    print_urls
}

cmd_stop() {
    local n pid i
    for n in 3 2 1; do
        running "$n" || continue
        pid=$(cat "$(our_pid "$n")")
        kill -TERM "$pid" 2>/dev/null || true
        for (( i = 0; i < 60; i++ )); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    log "stopped"
}

cmd_status() {
    local n
    for n in "${nodes[@]}"; do
        if running "$n"; then
            echo "node$n port $(sql_port "$n"): $(status_var "$n" wsrep_local_state_comment || echo '?'), cluster size $(status_var "$n" wsrep_cluster_size || echo '?')"
        else
            echo "node$n port $(sql_port "$n"): down"
        fi
    done
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    kill) [[ "${2:-}" =~ ^[123]$ ]] || { echo "usage: $0 kill 1|2|3" >&2; exit 2; }
          if running "$2"; then kill -KILL "$(cat "$(our_pid "$2")")"; fi; log "node $2 killed" ;;
    start-node) [[ "${2:-}" =~ ^[123]$ ]] || { echo "usage: $0 start-node 1|2|3" >&2; exit 2; }
          start_node "$2" ;;
    wait-synced) wait_synced "${2:-3}" "${3:-120}" ;;
    *) echo "usage: $0 start|stop|status|kill N|start-node N|wait-synced [SIZE]" >&2; exit 2 ;;
esac
