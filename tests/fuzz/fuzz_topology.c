/* libFuzzer: wx_topology. The first byte picks what the rest is:
 *   0  a DSN (user configuration): wx_topo_parse_dsn and wx_topo_dsn_wants;
 *      a result must be well formed, an error must leave nothing behind and
 *      say why, and parsing is deterministic;
 *   1  RESP bytes (what a sentinel or a data node sends), through hiredis's
 *      reader: SENTINEL get-master-addr-by-name and ROLE parsers;
 *   2  a +switch-master payload;
 *   3  an error reply: its class and a host:port. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "wx_topology.h"

static void check_hostport(const wx_topo_hostport_t *hp, int allow_empty)
{
    size_t n = strnlen(hp->host, sizeof(hp->host));
    if (n == sizeof(hp->host) || (!allow_empty && n == 0) || hp->port < 1 || hp->port > 65535) __builtin_trap();
}

static void fuzz_dsn(const char *s, size_t n)
{
    wx_topo_dsn_t d, again;
    char err[256];
    size_t i;
    int rc;

    (void)wx_topo_dsn_wants(s, n);
    wx_topo_dsn_init(&d);
    rc = wx_topo_parse_dsn(&d, s, n, err, sizeof(err));
    if (rc != WX_TOPO_OK) {
        if (d.nhosts || d.hosts || d.password || d.username || d.service || d.nparams || err[0] == '\0') __builtin_trap();
        return;
    }
    if (d.nhosts < 1 || d.nhosts > WX_TOPO_MAX_HOSTS) __builtin_trap();
    if (d.mode == WX_TOPO_SINGLE && d.nhosts != 1) __builtin_trap();
    if (d.mode == WX_TOPO_SENTINEL && (!d.service || !d.service[0])) __builtin_trap();
    if (d.mode == WX_TOPO_CLUSTER && d.dbindex != 0) __builtin_trap();
    if (d.mode != WX_TOPO_SENTINEL && (d.sentinel_password || d.sentinel_username)) __builtin_trap();
    if ((d.username && !d.password) || (d.sentinel_username && !d.sentinel_password)) __builtin_trap();
    if (d.dbindex < 0) __builtin_trap();
    for (i = 0; i < d.nhosts; i++) {
        const wx_topo_addr_t *a = &d.hosts[i];
        if (!!a->host == !!a->unix_path) __builtin_trap();
        if (a->host && (!a->host[0] || strlen(a->host) >= WX_TOPO_HOST_MAX || a->port < 1 || a->port > 65535)) __builtin_trap();
        if (a->unix_path && (a->unix_path[0] != '/' || strlen(a->unix_path) >= WX_TOPO_UNIX_MAX)) __builtin_trap();
    }
    for (i = 0; i < d.nparams; i++) {
        if (!d.params[i].key || !d.params[i].value) __builtin_trap();
        if (wx_topo_dsn_param(&d, d.params[i].key) == NULL) __builtin_trap();
    }
    /* the same input, the same answer */
    wx_topo_dsn_init(&again);
    if (wx_topo_parse_dsn(&again, s, n, err, sizeof(err)) != WX_TOPO_OK || again.nhosts != d.nhosts ||
        again.mode != d.mode || again.dbindex != d.dbindex || !!again.password != !!d.password ||
        (d.password && strcmp(again.password, d.password) != 0)) {
        __builtin_trap();
    }
    wx_topo_dsn_clear(&again);
    wx_topo_dsn_clear(&d);
    if (d.hosts || d.nhosts) __builtin_trap();
}

/* hiredis 0.14's reader callocs whatever element count a "*N" header
 * announces (a 6 GB calloc for "*729659659"): a limit of the library, not of
 * the code under test, and not reachable from a real server's reply sizes
 * here. Inputs announcing more than 65536 elements or bytes are skipped. */
static int resp_sizes_sane(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (s[i] == '*' || s[i] == '$') {
            unsigned long v = 0;
            size_t j = i + 1;
            while (j < n && s[j] >= '0' && s[j] <= '9' && v <= 65536) v = v * 10 + (unsigned long)(s[j++] - '0');
            if (v > 65536) return 0;
        }
    }
    return 1;
}

static void fuzz_replies(const char *s, size_t n)
{
    redisReader *r = redisReaderCreate();
    void *reply = NULL;
    char err[256];
    int guard = 0;
    if (!resp_sizes_sane(s, n) || redisReaderFeed(r, s, n) != REDIS_OK) {
        redisReaderFree(r);
        return;
    }
    while (guard++ < 16 && redisReaderGetReply(r, &reply) == REDIS_OK && reply) {
        wx_topo_hostport_t hp;
        wx_topo_role_t role;
        size_t i;
        if (wx_topo_parse_master_addr(reply, &hp, err, sizeof(err)) == WX_TOPO_OK) check_hostport(&hp, 0);
        if (wx_topo_parse_role(reply, &role, err, sizeof(err)) == WX_TOPO_OK) {
            if (role.role == WX_TOPO_ROLE_REPLICA) check_hostport(&role.master, 0);
            if (role.role != WX_TOPO_ROLE_MASTER && role.nreplicas) __builtin_trap();
            for (i = 0; i < role.nreplicas && i < WX_TOPO_ROLE_MAX_REPLICAS; i++) check_hostport(&role.replicas[i], 0);
        } else if (role.role != 0 || role.nreplicas != 0) {
            __builtin_trap();      /* a failed parse leaves nothing half-filled */
        }
        freeReplyObject(reply);
        reply = NULL;
    }
    redisReaderFree(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data + 1;
    size_t n = size ? size - 1 : 0;
    if (size == 0) return 0;
    switch (data[0] % 4) {
    case 0:
        fuzz_dsn(s, n);
        break;
    case 1:
        fuzz_replies(s, n);
        break;
    case 2: {
        wx_topo_hostport_t o, nw;
        int rc = wx_topo_parse_switch_master(s, n, "mymaster", &o, &nw);
        if (rc == WX_TOPO_OK || rc == WX_TOPO_ERR_OTHER_NAME) {
            check_hostport(&o, 1);
            check_hostport(&nw, 1);
        }
        if (rc == WX_TOPO_OK && (n < 9 || memcmp(s, "mymaster ", 9) != 0)) __builtin_trap();
        break;
    }
    case 3: {
        wx_topo_hostport_t hp;
        wx_topo_errclass_t c = wx_topo_error_class(s, n);
        if ((int)c < 0 || c > WX_TOPO_ERRCLASS_BUSY || !wx_topo_errclass_name(c)) __builtin_trap();
        if (wx_topo_parse_hostport(s, n, 1, &hp) == 0) check_hostport(&hp, 1);
        if (wx_topo_parse_hostport(s, n, 0, &hp) == 0) check_hostport(&hp, 0);
        break;
    }
    }
    return 0;
}
