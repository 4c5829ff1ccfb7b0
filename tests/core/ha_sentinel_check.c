/* The Sentinel engine against a real deployment (one master, two replicas,
 * three sentinels: scripts/ha start sentinel DIR), as TAP. Run by
 * tests/core/ha_sentinel_check.sh, which starts its own deployment (this
 * test fails over and kills nodes) and stops it afterwards.
 *
 *  - discovery, an unknown service name, a dead sentinel skipped, a paused
 *    (silent) sentinel within the call's deadline, every sentinel silent
 *    and then back (the same client works again);
 *  - SENTINEL FAILOVER and kill -9 of the master under a write loop whose
 *    values name their own key. Every write is [SET k v, CONFIG GET port] in
 *    one request, so the server itself says which node took it. This test
 *    subscribes to +switch-master on every sentinel with hiredis (not the
 *    code under test) and measures: the time from the first +switch-master
 *    to the first write on the new master, the last write on the old master
 *    after the switch, and how long calls failed.
 *
 * Env: WXREDIS_TEST_SENTINEL_DIR, _SENTINELS ("h:p h:p h:p"), _NAME,
 * _USER/_PASS (sentinels), _DATA_USER/_DATA_PASS; WXREDIS_HA (scripts/ha). */
#include "wx_client.h"
#include "wx_test.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SENTINELS 8
#define NKEYS 50

static const char *env_dir, *env_name, *env_ha, *env_suser, *env_spass, *env_duser, *env_dpass;
static char sentinel_host[MAX_SENTINELS][64];
static int sentinel_port[MAX_SENTINELS];
static int nsentinels;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void sleep_ms(int ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long) (ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

static int ha(const char *cmd, const char *arg)
{
    char line[1024];
    snprintf(line, sizeof(line), "%s %s %s %s >/dev/null", env_ha, cmd, env_dir, arg ? arg : "");
    return system(line);
}

/* scripts/ha event DIR EVENT in a child; its JSON goes to out. */
static pid_t ha_event_start(const char *ev, const char *out)
{
    pid_t pid;
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char line[1024];
        snprintf(line, sizeof(line), "%s event %s %s > %s 2>&1", env_ha, env_dir, ev, out);
        _exit(system(line) == 0 ? 0 : 1);
    }
    return pid;
}

static wx_client_t *client(const char *service, int skip_first, double rt)
{
    wx_client_opts_t o;
    wx_client_t *cl;
    int i;

    wx_client_opts_init(&o);
    o.mode = WX_TOPO_SENTINEL;
    o.service = strdup(service);
    o.node.read_timeout = rt;
    o.node.connect_timeout = 0.5;
    if (env_duser) o.node.username = strdup(env_duser);
    if (env_dpass) o.node.password = strdup(env_dpass);
    if (env_suser) o.sentinel_username = strdup(env_suser);
    if (env_spass) o.sentinel_password = strdup(env_spass);
    for (i = skip_first ? 1 : 0; i < nsentinels; i++) {
        wx_client_opts_add_seed(&o, sentinel_host[i], sentinel_port[i], NULL);
    }
    if (skip_first) wx_client_opts_add_seed(&o, sentinel_host[0], sentinel_port[0], NULL);
    cl = wx_client_new(&o, NULL);
    wx_client_opts_clear(&o);
    return cl;
}

/* SET key value + CONFIG GET port in one request: *port is the node that
 * ran the SET. 0 on success. */
static int set_where(wx_client_t *cl, const char *key, const char *val, int *port)
{
    const char *a1[3] = { "SET", key, val }, *a2[3] = { "CONFIG", "GET", "port" };
    size_t l1[3] = { 3, strlen(key), strlen(val) }, l2[3] = { 6, 3, 4 };
    wx_conn_cmd_t cmds[2] = { { 3, a1, l1, WX_EXPECT_OK, 0 }, { 3, a2, l2, WX_EXPECT_ARRAY, 0 } };
    redisReply *r[2];
    int ok;
    if (wx_client_request(cl, cmds, 2, r) != WX_CONN_OK) return -1;
    ok = r[0]->type == REDIS_REPLY_STATUS && r[1]->type == REDIS_REPLY_ARRAY && r[1]->elements == 2;
    if (ok) *port = atoi(r[1]->element[1]->str);
    freeReplyObject(r[0]);
    freeReplyObject(r[1]);
    return ok ? 0 : -2;
}

/* GET key: 1 and *out (malloc'd, NULL for nil) on success, 0 on failure,
 * -1 for an error reply. */
static int get(wx_client_t *cl, const char *key, char **out)
{
    const char *a[2] = { "GET", key };
    size_t l[2] = { 3, strlen(key) };
    wx_conn_cmd_t cmd = { 2, a, l, WX_EXPECT_BULK_OR_NIL, 0 };
    redisReply *r;
    int rc;
    *out = NULL;
    if (wx_client_request(cl, &cmd, 1, &r) != WX_CONN_OK) return 0;
    rc = r->type == REDIS_REPLY_ERROR ? -1 : 1;
    if (r->type == REDIS_REPLY_STRING) *out = strndup(r->str, r->len);
    freeReplyObject(r);
    return rc;
}

static int master_port(wx_client_t *cl)
{
    wx_conn_t *c = wx_client_conn(cl);
    return c ? c->opts.port : -1;
}

/* ------------------------------------------------------------ checks */

static void check_discovery(void)
{
    wx_client_t *cl = client(env_name, 0, 1.0);
    char *v = NULL, want[128];
    int port = 0, i;
    const char *m = getenv("WXREDIS_TEST_SENTINEL_MASTER");

    WX_CHECK(set_where(cl, "wx:ha:k", "wx:ha:k", &port) == 0, "discovery: a write works (%s)", cl->errstr);
    WX_CHECK(m && port == atoi(strchr(m, ':') + 1), "it landed on the master the deployment started with (%d, %s)", port, m);
    WX_CHECK(get(cl, "wx:ha:k", &v) == 1 && v && strcmp(v, "wx:ha:k") == 0, "and reads back");
    free(v);
    WX_CHECK(master_port(cl) == port, "conn: the master connection");
    WX_CHECK(wx_client_rediscover(cl) == WX_CONN_OK && cl->failovers == 0, "rediscover finds the same master");
    wx_client_free(cl);

    cl = client("nosuch", 0, 1.0);
    WX_CHECK(set_where(cl, "wx:ha:k", "x", &port) == -1 && cl->err == WX_CONN_ERR_CONNECT,
             "an unknown service name fails to connect");
    for (i = 0; i < nsentinels; i++) {
        snprintf(want, sizeof(want), "%s:%d: no master named \"nosuch\"", sentinel_host[i], sentinel_port[i]);
        if (!strstr(cl->errstr, want)) break;
    }
    WX_CHECK(i == nsentinels && strstr(cl->errstr, "no sentinel knows a master named \"nosuch\""),
             "the message names it for every sentinel: %s", cl->errstr);
    WX_CHECK(!env_dpass || !strstr(cl->errstr, env_dpass), "and holds no password");
    wx_client_free(cl);
}

/* Until `scripts/ha status` says settled (every sentinel names the master,
 * the replicas are in sync): events need a quiet deployment. */
static void wait_settled(void)
{
    char line[1024];
    double until = now_s() + 30;
    snprintf(line, sizeof(line), "%s status %s | grep -q '^settled'", env_ha, env_dir);
    while (now_s() < until && system(line) != 0) sleep_ms(200);
}

static void check_sentinel_dead(void)
{
    char addr[96];
    wx_client_t *cl;
    int port = 0;
    double t;

    snprintf(addr, sizeof(addr), "%s:%d", sentinel_host[0], sentinel_port[0]);
    ha("kill", addr);
    cl = client(env_name, 0, 1.0);
    t = now_s();
    WX_CHECK(set_where(cl, "wx:ha:k", "wx:ha:k", &port) == 0, "the first sentinel killed: skipped");
    t = now_s() - t;
    WX_CHECK(t < 0.5, "at the cost of a refused connect (%.3fs)", t);
    printf("# discovery with a dead first sentinel: %.1f ms\n", t * 1e3);
    wx_client_free(cl);
    ha("revive", addr);
}

/* Last: a sentinel paused for seconds goes into TILT mode (no failovers for
 * 30 s) once it runs again. */
static void check_sentinel_silent(void)
{
    char addr[96];
    wx_client_t *cl;
    int port = 0, i;
    double t;

    snprintf(addr, sizeof(addr), "%s:%d", sentinel_host[0], sentinel_port[0]);
    /* paused: it accepts connections and never answers */
    ha("pause", addr);
    cl = client(env_name, 0, 0.5);
    t = now_s();
    i = set_where(cl, "wx:ha:k", "wx:ha:k", &port);
    t = now_s() - t;
    WX_CHECK(t < 0.65, "a silent first sentinel: the call ends within its read_timeout 0.5s (%.3fs, %s)", t,
             i == 0 ? "ok" : cl->errstr);
    t = now_s();
    WX_CHECK(set_where(cl, "wx:ha:k", "wx:ha:k", &port) == 0 && now_s() - t < 0.2,
             "the next call asks the sentinels that answered first (%.3fs)", now_s() - t);
    wx_client_free(cl);

    /* every sentinel silent: a working client keeps its master; a new one
     * fails in time and works once they are back */
    cl = client(env_name, 1, 0.5);
    WX_CHECK(set_where(cl, "wx:ha:k", "wx:ha:k", &port) == 0, "a client with a master...");
    for (i = 1; i < nsentinels; i++) {
        snprintf(addr, sizeof(addr), "%s:%d", sentinel_host[i], sentinel_port[i]);
        ha("pause", addr);
    }
    WX_CHECK(set_where(cl, "wx:ha:k", "wx:ha:k", &port) == 0, "...keeps working while every sentinel is silent");
    wx_client_close(cl);
    t = now_s();
    WX_CHECK(set_where(cl, "wx:ha:k", "wx:ha:k", &port) == -1 && now_s() - t < 0.65,
             "after close(), with nobody to ask: an error within read_timeout (%.3fs): %s", now_s() - t, cl->errstr);
    for (i = 0; i < nsentinels; i++) {
        snprintf(addr, sizeof(addr), "%s:%d", sentinel_host[i], sentinel_port[i]);
        ha("resume", addr);
    }
    WX_CHECK(set_where(cl, "wx:ha:k", "wx:ha:k", &port) == 0, "the same client works when they are back (%s)", cl->errstr);
    wx_client_free(cl);
}

/* hiredis subscriptions of our own: when did a sentinel announce it? */
static redisContext *subs[MAX_SENTINELS];

static void subs_open(void)
{
    int i;
    for (i = 0; i < nsentinels; i++) {
        redisReply *r;
        subs[i] = redisConnect(sentinel_host[i], sentinel_port[i]);
        if (!subs[i] || subs[i]->err) continue;
        if (env_spass) {
            r = env_suser ? redisCommand(subs[i], "AUTH %s %s", env_suser, env_spass)
                          : redisCommand(subs[i], "AUTH %s", env_spass);
            freeReplyObject(r);
        }
        r = redisCommand(subs[i], "SUBSCRIBE +switch-master");
        freeReplyObject(r);
    }
}

/* First +switch-master time seen on any sentinel (0: none yet). */
static double subs_poll(double seen)
{
    int i;
    for (i = 0; i < nsentinels; i++) {
        struct pollfd p;
        void *r = NULL;
        if (!subs[i] || subs[i]->err) continue;
        p.fd = subs[i]->fd;
        p.events = POLLIN;
        if (poll(&p, 1, 0) <= 0) continue;
        if (redisBufferRead(subs[i]) != REDIS_OK) continue;
        while (redisGetReplyFromReader(subs[i], &r) == REDIS_OK && r) {
            if (seen == 0) seen = now_s();
            freeReplyObject(r);
            r = NULL;
        }
    }
    return seen;
}

static void subs_close(void)
{
    int i;
    for (i = 0; i < nsentinels; i++) {
        if (subs[i]) redisFree(subs[i]);
        subs[i] = NULL;
    }
}

/* The write loop around one event. */
/* The client asks the second sentinel first: the event goes to the first
 * one (scripts/ha sends SENTINEL FAILOVER to the first live sentinel), so
 * its announcement has to come through a link opened in the background. */
static void check_event(const char *ev, int killed)
{
    wx_client_t *cl = client(env_name, 1, 1.0);
    char key[32], val[64], *v, out[256];
    char last_acked[NKEYS][64];
    int old_port = master_port(cl), port = 0, status = 0, running = 1, wrong = 0, i;
    long n = 0, fails = 0, ops = 0, lost = 0;
    double t0, t_old_any = 0, t_switch = 0, t_new = 0, t_old_last = 0, t_fail_first = 0, t_fail_last = 0, t_end = 0;
    pid_t ev_pid;

    memset(last_acked, 0, sizeof(last_acked));
    subs_open();
    snprintf(out, sizeof(out), "%s/event-%s.json", env_dir, ev);
    t0 = now_s();
    ev_pid = ha_event_start(ev, out);
    while (running || now_s() < t_end) {
        int k = (int) (n % NKEYS), rc;
        t_switch = subs_poll(t_switch);
        snprintf(key, sizeof(key), "wx:ha:%d", k);
        snprintf(val, sizeof(val), "wx:ha:%d:%ld", k, n);
        n++;
        ops++;
        if (set_where(cl, key, val, &port) != 0) {
            fails++;
            if (!t_fail_first) t_fail_first = now_s();
            t_fail_last = now_s();
        } else {
            double t = now_s();
            snprintf(last_acked[k], sizeof(last_acked[k]), "%s", val);
            if (port != old_port && !t_new) t_new = t;
            if (port == old_port && t_switch) t_old_last = t;
            if (port == old_port) t_old_any = t;
        }
        /* a read of another key: its value must name that key */
        snprintf(key, sizeof(key), "wx:ha:%d", (k + 7) % NKEYS);
        rc = get(cl, key, &v);
        ops++;
        if (rc == 1 && v) {
            size_t kl = strlen(key);
            if (strncmp(v, key, kl) != 0 || v[kl] != ':') wrong++;
        } else if (rc != 1) {
            fails++;
            t_fail_last = now_s();
        }
        free(v);
        if (running && waitpid(ev_pid, &status, WNOHANG) == ev_pid) {
            running = 0;
            t_end = now_s() + 1.5;     /* and a little more on the settled deployment */
        }
        sleep_ms(1);
    }
    subs_close();
    WX_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: the event ran (see %s)", ev, out);
    WX_CHECK(wrong == 0, "%s: %ld calls, %ld failed cleanly, none returned a value of another key (%d wrong)",
             ev, ops, fails, wrong);
    WX_CHECK(t_switch > 0, "%s: a sentinel announced +switch-master (%.3fs after the event started)", ev,
             t_switch ? t_switch - t0 : -1.0);
    WX_CHECK(t_new > 0 && t_new - t_switch < 1.0,
             "%s: writes reached the new master %.0f ms after the first +switch-master", ev, (t_new - t_switch) * 1e3);
    printf("# %s: switch delay (first +switch-master -> first write on the new master): %.1f ms "
           "(negative: found before any announcement)\n", ev, (t_new - t_switch) * 1e3);
    printf("# %s: last write on the old master %.1f ms from the first +switch-master\n", ev,
           (t_old_any - t_switch) * 1e3);
    if (t_old_last) printf("# %s: last write on the old master %.1f ms after the switch\n", ev, (t_old_last - t_switch) * 1e3);
    WX_CHECK(!t_old_last || t_old_last - t_switch < 1.0, "%s: no write on the old master later than 1 s after the switch (last: %.0f ms after)",
             ev, t_old_last ? (t_old_last - t_switch) * 1e3 : 0.0);
    if (killed) {
        double outage = t_fail_first ? t_fail_last - t_fail_first : 0;
        WX_CHECK(outage < 8.0, "%s: calls failed for %.2fs, then succeeded again", ev, outage);
        printf("# %s: calls failing from %.2fs to %.2fs after the kill (%.2fs)\n", ev,
               t_fail_first ? t_fail_first - t0 : 0, t_fail_last ? t_fail_last - t0 : 0, outage);
    } else {
        printf("# %s: %ld failed calls (last %.2fs after the event started)\n", ev, fails,
               t_fail_last ? t_fail_last - t0 : 0);
    }
    WX_CHECK(cl->failovers >= 1, "%s: the client counted %llu failover(s), %llu commands retried", ev,
             (unsigned long long) cl->failovers, (unsigned long long) cl->retries);
    /* what survived: the last acknowledged value of every key, or an older
     * one of the same key (writes the old master took after the promotion) */
    for (i = 0; i < NKEYS; i++) {
        snprintf(key, sizeof(key), "wx:ha:%d", i);
        if (!last_acked[i][0]) continue;
        if (get(cl, key, &v) == 1 && v && strcmp(v, last_acked[i]) != 0) lost++;
        free(v);
    }
    WX_CHECK(master_port(cl) != old_port, "%s: the client is on the new master", ev);
    printf("# %s: %ld of %d keys lost their last acknowledged write (asynchronous replication)\n", ev, lost, NKEYS);
    wx_client_free(cl);
}

static int parse_env(void)
{
    const char *all = getenv("WXREDIS_TEST_SENTINELS");
    char buf[1024], *tok, *save = NULL;

    env_dir = getenv("WXREDIS_TEST_SENTINEL_DIR");
    env_name = getenv("WXREDIS_TEST_SENTINEL_NAME");
    env_ha = getenv("WXREDIS_HA");
    env_suser = getenv("WXREDIS_TEST_SENTINEL_USER");
    env_spass = getenv("WXREDIS_TEST_SENTINEL_PASS");
    env_duser = getenv("WXREDIS_TEST_SENTINEL_DATA_USER");
    env_dpass = getenv("WXREDIS_TEST_SENTINEL_DATA_PASS");
    if (!all || !env_dir || !env_name || !env_ha) return -1;
    snprintf(buf, sizeof(buf), "%s", all);
    for (tok = strtok_r(buf, " ", &save); tok && nsentinels < MAX_SENTINELS; tok = strtok_r(NULL, " ", &save)) {
        char *c = strrchr(tok, ':');
        if (!c) return -1;
        *c = '\0';
        snprintf(sentinel_host[nsentinels], sizeof(sentinel_host[0]), "%s", tok);
        sentinel_port[nsentinels++] = atoi(c + 1);
    }
    return nsentinels > 0 ? 0 : -1;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    if (parse_env() != 0) {
        printf("1..0 # SKIP needs WXREDIS_TEST_SENTINEL_DIR, _SENTINELS, _NAME and WXREDIS_HA "
               "(run tests/core/ha_sentinel_check.sh)\n");
        return 0;
    }
    check_discovery();
    check_sentinel_dead();
    wait_settled();
    check_event("sentinel-failover", 0);
    wait_settled();
    check_event("sentinel-kill-master", 1);
    wait_settled();
    check_sentinel_silent();
    return wx_test_done();
}
