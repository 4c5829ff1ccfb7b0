/*
 * wx_conn_class: which commands a shared connection must not run (the
 * table rawCommand() refuses from). See wx_conn.h.
 */
#include "wx_conn.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>


/* ------------------------------------------------- command classification */

/* Commands that would leave a connection shared by later requests in
 * another state, or make it something other than request/reply. Sorted by
 * name for bsearch; looked up case-insensitively. Decisions the table makes:
 *  - CLIENT SETNAME/SETINFO are refused: the name would outlive the request
 *    on a persistent connection and label every later request's commands.
 *  - WAIT/WAITAOF are plain: they change nothing, take no data, and the
 *    call's deadline cuts them like any slow command.
 *  - every blocking pop is refused whatever its timeout: it holds the
 *    worker's connection, and an element popped after our deadline dropped
 *    the connection is lost with the socket.
 *  - SWAPDB, FLUSHALL, CONFIG SET, CLIENT KILL/PAUSE are plain: they act on
 *    the server for every client alike, not on this connection. */
typedef struct {
    const char           *name;
    wx_conn_cmd_class_t   cls;
    const char           *reason;
} wx_conn_cmd_rule_t;

static const wx_conn_cmd_rule_t wx_conn_cmd_rules[] = {
    { "ASKING",      WX_CMD_SESSION,     "it flags the connection for the next command (cluster redirects are the client's job)" },
    { "AUTH",        WX_CMD_SESSION,     "it changes the user of a connection that later requests share; pass the credentials in the DSN or the options" },
    { "BLMOVE",      WX_CMD_BLOCKING,    "it blocks the shared connection, and an element taken after the call's deadline is lost" },
    { "BLMPOP",      WX_CMD_BLOCKING,    "it blocks the shared connection, and an element taken after the call's deadline is lost" },
    { "BLPOP",       WX_CMD_BLOCKING,    "it blocks the shared connection, and an element taken after the call's deadline is lost" },
    { "BRPOP",       WX_CMD_BLOCKING,    "it blocks the shared connection, and an element taken after the call's deadline is lost" },
    { "BRPOPLPUSH",  WX_CMD_BLOCKING,    "it blocks the shared connection, and an element taken after the call's deadline is lost" },
    { "BZMPOP",      WX_CMD_BLOCKING,    "it blocks the shared connection, and an element taken after the call's deadline is lost" },
    { "BZPOPMAX",    WX_CMD_BLOCKING,    "it blocks the shared connection, and an element taken after the call's deadline is lost" },
    { "BZPOPMIN",    WX_CMD_BLOCKING,    "it blocks the shared connection, and an element taken after the call's deadline is lost" },
    { "DEBUG",       WX_CMD_SERVER,      "it can stall, crash or reload the server for every client" },
    { "DISCARD",     WX_CMD_TRANSACTION, "transactions would span requests on the shared connection" },
    { "EXEC",        WX_CMD_TRANSACTION, "transactions would span requests on the shared connection" },
    { "FAILOVER",    WX_CMD_SERVER,      "it changes the server's role for every client" },
    { "HELLO",       WX_CMD_SESSION,     "it switches the protocol or the user of the shared connection" },
    { "MONITOR",     WX_CMD_PUSH,        "it turns the connection into a stream of every command the server runs" },
    { "MULTI",       WX_CMD_TRANSACTION, "an unfinished transaction would queue every later request's commands on the shared connection" },
    { "PSUBSCRIBE",  WX_CMD_PUSH,        "it turns the shared connection into a subscriber that can run nothing else" },
    { "PSYNC",       WX_CMD_PUSH,        "it turns the connection into a replication stream" },
    { "PUNSUBSCRIBE",WX_CMD_PUSH,        "subscriptions are not possible on the shared connection" },
    { "QUIT",        WX_CMD_SESSION,     "it closes the connection that later requests share" },
    { "READONLY",    WX_CMD_SESSION,     "it changes how the shared connection reads in a cluster" },
    { "READWRITE",   WX_CMD_SESSION,     "it changes how the shared connection reads in a cluster" },
    { "REPLCONF",    WX_CMD_PUSH,        "it is part of the replication protocol" },
    { "REPLICAOF",   WX_CMD_SERVER,      "it changes the server's role for every client" },
    { "RESET",       WX_CMD_SESSION,     "it drops the connection's database and user, which later requests rely on" },
    { "SELECT",      WX_CMD_SESSION,     "it changes the database of a connection that later requests share; put the database in the DSN (redis://host/5)" },
    { "SHUTDOWN",    WX_CMD_SERVER,      "it stops the server for every client" },
    { "SLAVEOF",     WX_CMD_SERVER,      "it changes the server's role for every client" },
    { "SSUBSCRIBE",  WX_CMD_PUSH,        "it turns the shared connection into a subscriber that can run nothing else" },
    { "SUBSCRIBE",   WX_CMD_PUSH,        "it turns the shared connection into a subscriber that can run nothing else" },
    { "SUNSUBSCRIBE",WX_CMD_PUSH,        "subscriptions are not possible on the shared connection" },
    { "SYNC",        WX_CMD_PUSH,        "it turns the connection into a replication stream" },
    { "UNSUBSCRIBE", WX_CMD_PUSH,        "subscriptions are not possible on the shared connection" },
    { "UNWATCH",     WX_CMD_TRANSACTION, "transactions would span requests on the shared connection" },
    { "WATCH",       WX_CMD_TRANSACTION, "a WATCH would make a later request's transaction fail" },
};

static const wx_conn_cmd_rule_t wx_conn_client_rules[] = {
    { "CACHING",     WX_CMD_SESSION,     "CLIENT CACHING changes the tracking state of the shared connection" },
    { "NO-EVICT",    WX_CMD_SESSION,     "CLIENT NO-EVICT changes a flag of the shared connection" },
    { "NO-TOUCH",    WX_CMD_SESSION,     "CLIENT NO-TOUCH changes how every later request's reads touch keys" },
    { "REPLY",       WX_CMD_SESSION,     "CLIENT REPLY OFF/SKIP would leave the shared connection without the replies later requests wait for" },
    { "SETINFO",     WX_CMD_SESSION,     "CLIENT SETINFO would label every later request on the shared connection" },
    { "SETNAME",     WX_CMD_SESSION,     "CLIENT SETNAME would label every later request on the shared connection" },
    { "TRACKING",    WX_CMD_SESSION,     "CLIENT TRACKING sends invalidation pushes on the shared connection" },
};

static const wx_conn_cmd_rule_t wx_conn_cluster_rules[] = {
    { "FAILOVER",    WX_CMD_SERVER,      "CLUSTER FAILOVER changes the node's role for every client" },
    { "RESET",       WX_CMD_SERVER,      "CLUSTER RESET wipes the node's cluster state for every client" },
};

/* Upper-cased copy in buf (NUL-terminated); 0 when too long to be a name. */
static int wx_conn_upper(const char *s, size_t n, char *buf, size_t cap)
{
    size_t i;
    if (n == 0 || n >= cap) return 0;
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char) s[i];
        if (ch == '\0') return 0;     /* "MULTI\0" is not MULTI to Redis */
        buf[i] = (char) (ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
    }
    buf[n] = '\0';
    return 1;
}

static int wx_conn_rule_cmp(const void *key, const void *elem)
{
    return strcmp((const char *) key, ((const wx_conn_cmd_rule_t *) elem)->name);
}

static const wx_conn_cmd_rule_t *wx_conn_rule_find(const wx_conn_cmd_rule_t *rules, size_t n,
                                                   const char *s, size_t len)
{
    char name[24];
    if (!wx_conn_upper(s, len, name, sizeof(name))) return NULL;
    return bsearch(name, rules, n, sizeof(*rules), wx_conn_rule_cmp);
}

static int wx_conn_arg_is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

wx_conn_cmd_class_t wx_conn_command_class(int argc, const char *const *argv,
                                          const size_t *argvlen, const char **reason)
{
    const wx_conn_cmd_rule_t *rule = NULL;
    const char *dummy;
    int i;

    if (!reason) reason = &dummy;
    *reason = "";
    if (argc < 1) return WX_CMD_PLAIN;

    if (wx_conn_arg_is(argv[0], argvlen[0], "CLIENT") && argc >= 2) {
        rule = wx_conn_rule_find(wx_conn_client_rules,
            sizeof(wx_conn_client_rules) / sizeof(wx_conn_client_rules[0]), argv[1], argvlen[1]);
    } else if (wx_conn_arg_is(argv[0], argvlen[0], "CLUSTER") && argc >= 2) {
        rule = wx_conn_rule_find(wx_conn_cluster_rules,
            sizeof(wx_conn_cluster_rules) / sizeof(wx_conn_cluster_rules[0]), argv[1], argvlen[1]);
    } else if (wx_conn_arg_is(argv[0], argvlen[0], "XREAD") ||
               wx_conn_arg_is(argv[0], argvlen[0], "XREADGROUP")) {
        /* options come before STREAMS; after it only keys and ids, where
         * a key may well be called "block" */
        for (i = 1; i < argc; i++) {
            if (wx_conn_arg_is(argv[i], argvlen[i], "STREAMS")) break;
            if (wx_conn_arg_is(argv[i], argvlen[i], "BLOCK")) {
                *reason = "with BLOCK it holds the shared connection, and entries delivered "
                          "after the call's deadline are lost with the socket";
                return WX_CMD_BLOCKING;
            }
        }
        return WX_CMD_PLAIN;
    } else {
        rule = wx_conn_rule_find(wx_conn_cmd_rules,
            sizeof(wx_conn_cmd_rules) / sizeof(wx_conn_cmd_rules[0]), argv[0], argvlen[0]);
    }
    if (!rule) return WX_CMD_PLAIN;
    *reason = rule->reason;
    return rule->cls;
}
