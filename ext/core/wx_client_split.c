/*
 * wx_client_split: multi-key commands over Redis Cluster.
 *
 * MGET, DEL, UNLINK, EXISTS and TOUCH of keys in several slots are
 * answered -CROSSSLOT by a cluster node. Rather than make every caller
 * know the topology, wx_client_request_split() sends such a command as one
 * single-key command per key (the cluster engine writes every node's share
 * before reading any reply) and puts the answers back together: MGET an
 * array of the values in the caller's order, the others the sum of the
 * counts. A command whose keys share one slot goes as it is.
 */
#include "wx_client.h"
#include "wx_slots.h"
#include "wx_text.h"

#include <stdlib.h>
#include <string.h>

typedef enum {
    WX_SPLIT_NONE = 0,
    WX_SPLIT_VALUES,    /* MGET: an array of the single replies */
    WX_SPLIT_SUM        /* DEL UNLINK EXISTS TOUCH: the sum of the integers */
} wx_split_kind_t;

static wx_split_kind_t wx_split_kind(const wx_conn_cmd_t *cmd)
{
    const unsigned char *name;
    size_t len;
    unsigned slot;
    int i;

    if (cmd->argc < 3) return WX_SPLIT_NONE;
    name = (const unsigned char *) cmd->argv[0];
    len = cmd->argvlen[0];
    if (wx_text_caseless_eq(name, len, "MGET")) {
        /* fall through to the slot check */
    } else if (!wx_text_caseless_eq(name, len, "DEL") && !wx_text_caseless_eq(name, len, "UNLINK") &&
               !wx_text_caseless_eq(name, len, "EXISTS") && !wx_text_caseless_eq(name, len, "TOUCH")) {
        return WX_SPLIT_NONE;
    }
    slot = wx_slots_keyslot(cmd->argv[1], cmd->argvlen[1]);
    for (i = 2; i < cmd->argc; i++) {
        if (wx_slots_keyslot(cmd->argv[i], cmd->argvlen[i]) != slot) {
            return wx_text_caseless_eq(name, len, "MGET") ? WX_SPLIT_VALUES : WX_SPLIT_SUM;
        }
    }
    return WX_SPLIT_NONE;
}

/* The single-key command's name: GET for MGET, the command itself else. */
static void wx_split_name(const wx_conn_cmd_t *cmd, wx_split_kind_t kind, const char **name, size_t *len)
{
    if (kind == WX_SPLIT_VALUES) {
        *name = "GET";
        *len = 3;
    } else {
        *name = cmd->argv[0];
        *len = cmd->argvlen[0];
    }
}

/* Put the single replies of one command back together into *out. */
static int wx_split_merge(wx_split_kind_t kind, redisReply **parts, size_t n, redisReply **out)
{
    redisReply *r;
    size_t i;

    /* the first error reply answers the whole command, as the server's
     * own error would */
    for (i = 0; i < n; i++) {
        if (parts[i]->type == REDIS_REPLY_ERROR) {
            *out = parts[i];
            parts[i] = NULL;
            return WX_CONN_OK;
        }
    }
    if (!(r = calloc(1, sizeof(*r)))) return WX_CONN_ERR_OOM;
    if (kind == WX_SPLIT_SUM) {
        r->type = REDIS_REPLY_INTEGER;
        for (i = 0; i < n; i++) r->integer += parts[i]->integer;
    } else {
        r->type = REDIS_REPLY_ARRAY;
        if (!(r->element = malloc(n * sizeof(*r->element)))) {
            free(r);
            return WX_CONN_ERR_OOM;
        }
        for (i = 0; i < n; i++) {
            r->element[i] = parts[i];
            parts[i] = NULL;
        }
        r->elements = n;
    }
    *out = r;
    return WX_CONN_OK;
}

int wx_client_request_split(wx_client_t *cl, const wx_conn_cmd_t *cmds, size_t n, redisReply **replies)
{
    wx_split_kind_t *kinds = NULL;
    wx_conn_cmd_t *out = NULL;
    const char **argv = NULL;
    size_t *lens = NULL, *first = NULL, total = 0, nargs = 0, i, j, k;
    redisReply **sub = NULL;
    int st = WX_CONN_OK, any = 0;

    if (cl->opts.mode != WX_TOPO_CLUSTER) {
        return wx_client_request(cl, cmds, n, replies);
    }
    if (!(kinds = malloc(n * sizeof(*kinds)))) goto oom;
    for (i = 0; i < n; i++) {
        kinds[i] = wx_split_kind(&cmds[i]);
        if (kinds[i] != WX_SPLIT_NONE) {
            any = 1;
            total += (size_t) cmds[i].argc - 1;
            nargs += 2 * ((size_t) cmds[i].argc - 1);
        } else {
            total++;
        }
    }
    if (!any) {
        free(kinds);
        return wx_client_request(cl, cmds, n, replies);
    }
    out = malloc(total * sizeof(*out));
    sub = calloc(total, sizeof(*sub));
    first = malloc(n * sizeof(*first));
    argv = malloc((nargs ? nargs : 1) * sizeof(*argv));
    lens = malloc((nargs ? nargs : 1) * sizeof(*lens));
    if (!out || !sub || !first || !argv || !lens) goto oom;

    for (i = 0, k = 0, j = 0; i < n; i++) {
        int a;
        first[i] = k;
        if (kinds[i] == WX_SPLIT_NONE) {
            out[k++] = cmds[i];
            continue;
        }
        for (a = 1; a < cmds[i].argc; a++) {
            wx_split_name(&cmds[i], kinds[i], &argv[j], &lens[j]);
            argv[j + 1] = cmds[i].argv[a];
            lens[j + 1] = cmds[i].argvlen[a];
            out[k].argc = 2;
            out[k].argv = &argv[j];
            out[k].argvlen = &lens[j];
            out[k].expect = kinds[i] == WX_SPLIT_VALUES ? WX_EXPECT_BULK_OR_NIL : WX_EXPECT_INTEGER;
            out[k].expect_n = 0;
            j += 2;
            k++;
        }
    }
    if ((st = wx_client_request(cl, out, total, sub)) != WX_CONN_OK) {
        goto done;
    }
    for (i = 0; i < n; i++) {
        if (kinds[i] == WX_SPLIT_NONE) {
            replies[i] = sub[first[i]];
            sub[first[i]] = NULL;
        } else if (wx_split_merge(kinds[i], &sub[first[i]], (size_t) cmds[i].argc - 1, &replies[i]) != WX_CONN_OK) {
            for (j = 0; j < i; j++) freeReplyObject(replies[j]);
            st = wx_client_fail(cl, WX_CONN_ERR_OOM, "out of memory joining the replies of %zu keys",
                                (size_t) cmds[i].argc - 1);
            break;
        }
    }
    goto done;

oom:
    st = wx_client_fail(cl, WX_CONN_ERR_OOM, "out of memory splitting %zu commands by slot", n);
done:
    if (sub) {
        for (i = 0; i < total; i++) freeReplyObject(sub[i]);
    }
    free(sub);
    free(out);
    free(first);
    free(argv);
    free(lens);
    free(kinds);
    return st;
}
