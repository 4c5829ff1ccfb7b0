/*
 * wx_topology: multi-host DSNs, Sentinel and ROLE replies, error classes.
 * See wx_topology.h.
 */
#include "wx_topology.h"
#include "wx_text.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *wx_topo_status_name(wx_topo_status_t s)
{
    switch (s) {
    case WX_TOPO_OK:               return "ok";
    case WX_TOPO_ERR_SCHEME:       return "bad scheme";
    case WX_TOPO_ERR_SYNTAX:       return "bad syntax";
    case WX_TOPO_ERR_HOST:         return "bad host";
    case WX_TOPO_ERR_NO_HOST:      return "no host";
    case WX_TOPO_ERR_DBINDEX:      return "bad dbindex";
    case WX_TOPO_ERR_MODE:         return "bad mode";
    case WX_TOPO_ERR_PARAM:        return "bad parameter";
    case WX_TOPO_ERR_LIMIT:        return "too large";
    case WX_TOPO_ERR_REPLY:        return "unexpected reply";
    case WX_TOPO_ERR_REPLY_ERROR:  return "error reply";
    case WX_TOPO_ERR_UNKNOWN_NAME: return "unknown service name";
    case WX_TOPO_ERR_OTHER_NAME:   return "other service name";
    case WX_TOPO_ERR_OOM:          return "out of memory";
    }
    return "unknown";
}

/* ------------------------------------------------------------------ DSN */

void wx_topo_dsn_init(wx_topo_dsn_t *d)
{
    memset(d, 0, sizeof(*d));
}

void wx_topo_dsn_clear(wx_topo_dsn_t *d)
{
    size_t i;
    for (i = 0; i < d->nhosts; i++) {
        free(d->hosts[i].host);
        free(d->hosts[i].unix_path);
    }
    free(d->hosts);
    for (i = 0; i < d->nparams; i++) {
        free(d->params[i].key);
        free(d->params[i].value);
    }
    free(d->params);
    free(d->service);
    free(d->username);
    free(d->password);
    free(d->sentinel_username);
    free(d->sentinel_password);
    wx_topo_dsn_init(d);
}

const char *wx_topo_dsn_param(const wx_topo_dsn_t *d, const char *key)
{
    const char *v = NULL;
    size_t i;
    for (i = 0; i < d->nparams; i++) {      /* the last one wins, as in parse_str() */
        if (strcmp(d->params[i].key, key) == 0) v = d->params[i].value;
    }
    return v;
}

static const char *wx_topo_find(const char *p, const char *end, char c)
{
    const void *r = memchr(p, c, (size_t)(end - p));
    return r ? (const char *)r : NULL;
}

static const char *wx_topo_find_at_q(const char *p, const char *end)
{
    for (; p + 1 < end; p++) {
        if (p[0] == '@' && p[1] == '?') return p;
    }
    return NULL;
}

int wx_topo_dsn_wants(const char *dsn, size_t len)
{
    const char *p, *end = dsn + len, *at = NULL, *q;
    if (len >= 7 && memcmp(dsn, "rediss:", 7) == 0) {
        p = dsn + 7;
    } else if (len >= 6 && memcmp(dsn, "redis:", 6) == 0) {
        p = dsn + 6;
    } else {
        return 0;
    }
    if (end - p < 2 || p[0] != '/' || p[1] != '/') return 1;
    p += 2;
    if (p < end && *p == '?') return 1;
    if (wx_topo_find_at_q(p, end)) return 1;
    for (q = p; q < end; q++) {
        if (*q == '@') at = q;
    }
    return wx_topo_find(at ? at : p, end, '?') != NULL;
}

static int wx_topo_hex(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* %XX decoding as PHP does it: an invalid escape stays as it is; '+' is a
 * space only in the query (urldecode), not in the userinfo (rawurldecode).
 * NULL on a decoded NUL (a C string cannot carry it) or no memory; *nul
 * tells which. */
static char *wx_topo_decode(const char *s, size_t n, int plus, int *nul)
{
    char *out = malloc(n + 1), *w = out;
    size_t i;
    *nul = 0;
    if (!out) return NULL;
    for (i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n) {
            int hi = wx_topo_hex((unsigned char)s[i + 1]);
            int lo = wx_topo_hex((unsigned char)s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                if (hi == 0 && lo == 0) { free(out); *nul = 1; return NULL; }
                *w++ = (char)(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        *w++ = (plus && s[i] == '+') ? ' ' : s[i];
    }
    *w = '\0';
    return out;
}

static int wx_topo_parse_port(const char *s, size_t n, int *port)
{
    long v = 0;
    size_t i;
    if (n == 0 || n > 5) return -1;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v < 1 || v > 65535) return -1;
    *port = (int)v;
    return 0;
}

static int wx_topo_host_chars_ok(const char *h, size_t n)
{
    size_t i;
    if (n == 0 || n >= WX_TOPO_HOST_MAX) return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (!(isalnum(c) || c == '.' || c == '-' || c == '_' || c == ':')) return 0;
    }
    return 1;
}

int wx_topo_parse_hostport(const char *s, size_t len, int allow_empty_host,
                           wx_topo_hostport_t *out)
{
    const char *h = s, *he, *colon = NULL, *q;
    size_t hn;
    if (len == 0) return -1;
    if (s[0] == '[') {
        const char *rb = wx_topo_find(s, s + len, ']');
        if (!rb || rb + 1 >= s + len || rb[1] != ':') return -1;
        h = s + 1;
        he = rb;
        colon = rb + 1;
    } else {
        for (q = s; q < s + len; q++) {
            if (*q == ':') colon = q;
        }
        if (!colon) return -1;
        he = colon;
    }
    hn = (size_t)(he - h);
    if (hn == 0 ? !allow_empty_host : hn >= WX_TOPO_HOST_MAX) return -1;
    for (q = h; q < he; q++) {
        unsigned char c = (unsigned char)*q;
        if (c <= ' ' || c >= 0x7f) return -1;
    }
    if (wx_topo_parse_port(colon + 1, (size_t)(s + len - colon - 1), &out->port) != 0) return -1;
    memcpy(out->host, h, hn);
    out->host[hn] = '\0';
    return 0;
}

/* Builder state while parsing (everything owned, freed on any exit). */
typedef struct {
    wx_topo_dsn_t d;
    size_t        cap_hosts, cap_params;
    int           has_ui;
    char         *ui_user, *ui_pass;
    int           auth_kind;           /* 0 none, 1 auth=, 2 auth[] */
    char         *auth[2];
    size_t        nauth;
    int           db_path_set, db_query_set;
    long          db_path, db_query;
    int           cluster_set, cluster;
    char         *sentinel_opt;        /* redis_sentinel */
    char         *sentinel_alias;      /* sentinel_master */
} wx_topo_build_t;

static void wx_topo_build_free(wx_topo_build_t *b)
{
    wx_topo_dsn_clear(&b->d);
    free(b->ui_user);
    free(b->ui_pass);
    free(b->auth[0]);
    free(b->auth[1]);
    free(b->sentinel_opt);
    free(b->sentinel_alias);
}

static int wx_topo_add_host(wx_topo_build_t *b, const char *host, size_t hn, int port,
                            const char *path, size_t pn)
{
    size_t i;
    wx_topo_addr_t *a;
    for (i = 0; i < b->d.nhosts; i++) {      /* the same host twice is one host */
        a = &b->d.hosts[i];
        if (host && a->host && a->port == port && strlen(a->host) == hn && memcmp(a->host, host, hn) == 0) return WX_TOPO_OK;
        if (path && a->unix_path && strlen(a->unix_path) == pn && memcmp(a->unix_path, path, pn) == 0) return WX_TOPO_OK;
    }
    if (b->d.nhosts >= WX_TOPO_MAX_HOSTS) return WX_TOPO_ERR_LIMIT;
    if (b->d.nhosts == b->cap_hosts) {
        size_t nc = b->cap_hosts ? b->cap_hosts * 2 : 4;
        wx_topo_addr_t *n = realloc(b->d.hosts, nc * sizeof(*n));
        if (!n) return WX_TOPO_ERR_OOM;
        b->d.hosts = n;
        b->cap_hosts = nc;
    }
    a = &b->d.hosts[b->d.nhosts];
    memset(a, 0, sizeof(*a));
    if (host) {
        a->host = strndup(host, hn);
        a->port = port;
        if (!a->host) return WX_TOPO_ERR_OOM;
    } else {
        a->unix_path = strndup(path, pn);
        if (!a->unix_path) return WX_TOPO_ERR_OOM;
    }
    b->d.nhosts++;
    return WX_TOPO_OK;
}

/* One host as Symfony reads host[...]: "/path/to.sock" (a trailing ":" or
 * ":0", Symfony's form, is dropped), "[v6]:port", "name:port" (the last ':'
 * splits) or "name" (port 6379). */
static int wx_topo_host_spec(wx_topo_build_t *b, const char *s, size_t n, int quote,
                             char *err, size_t errlen)
{
    /* The URL's own host is not quoted in messages: when the '@' after the
     * credentials is missing, a password ends up there. */
    static const char unquoted[] = "(the host after redis://)";
    int qn = quote ? (int)(n > 200 ? 200 : n) : (int)sizeof(unquoted) - 1;
    const char *qs = quote ? s : unquoted;
    const char *colon = NULL, *q, *h = s;
    size_t hn;
    int port = 6379, rc;

    if (n == 0) return wx_text_fail(err, errlen, WX_TOPO_ERR_HOST, "empty host[] in DSN");
    if (s[0] == '/') {
        if (n >= 2 && s[n - 1] == ':') n--;
        else if (n >= 3 && s[n - 2] == ':' && s[n - 1] == '0') n -= 2;
        if (n >= WX_TOPO_UNIX_MAX) {
            return wx_text_fail(err, errlen, WX_TOPO_ERR_HOST,
                "unix socket path in DSN is longer than %d bytes", WX_TOPO_UNIX_MAX - 1);
        }
        for (q = s; q < s + n; q++) {
            if (*q == ':' && q + 1 < s + n && wx_topo_parse_port(q + 1, (size_t)(s + n - q - 1), &port) == 0) {
                return wx_text_fail(err, errlen, WX_TOPO_ERR_HOST,
                    "a unix socket takes no port: host[%.*s]", qn, qs);
            }
        }
        rc = wx_topo_add_host(b, NULL, 0, 0, s, n);
        return rc == WX_TOPO_OK ? rc : wx_text_fail(err, errlen, rc, "too many hosts in DSN");
    }
    if (s[0] == '[') {
        const char *rb = wx_topo_find(s, s + n, ']');
        if (!rb) return wx_text_fail(err, errlen, WX_TOPO_ERR_HOST, "unclosed '[' in DSN host %.*s", qn, qs);
        h = s + 1;
        hn = (size_t)(rb - h);
        if (rb + 1 < s + n) {
            if (rb[1] != ':') {
                return wx_text_fail(err, errlen, WX_TOPO_ERR_HOST, "unexpected text after ']' in DSN host %.*s", qn, qs);
            }
            colon = rb + 1;
        }
    } else {
        for (q = s; q < s + n; q++) {
            if (*q == ':') colon = q;
        }
        hn = colon ? (size_t)(colon - s) : n;
    }
    if (colon && wx_topo_parse_port(colon + 1, (size_t)(s + n - colon - 1), &port) != 0) {
        return wx_text_fail(err, errlen, WX_TOPO_ERR_HOST,
            "DSN port must be a number from 1 to 65535: %.*s", qn, qs);
    }
    if (hn == 0) return wx_text_fail(err, errlen, WX_TOPO_ERR_HOST, "DSN host %.*s has no name", qn, qs);
    if (!wx_topo_host_chars_ok(h, hn)) {
        return wx_text_fail(err, errlen, WX_TOPO_ERR_HOST,
            "invalid DSN host %.*s (a name, an IP address, or an absolute socket path)", qn, qs);
    }
    rc = wx_topo_add_host(b, h, hn, port, NULL, 0);
    return rc == WX_TOPO_OK ? rc : wx_text_fail(err, errlen, rc, "too many hosts in DSN");
}

static int wx_topo_add_param(wx_topo_build_t *b, char *key, char *value)
{
    if (b->d.nparams >= WX_TOPO_MAX_HOSTS) return WX_TOPO_ERR_LIMIT;
    if (b->d.nparams == b->cap_params) {
        size_t nc = b->cap_params ? b->cap_params * 2 : 4;
        wx_topo_param_t *n = realloc(b->d.params, nc * sizeof(*n));
        if (!n) return WX_TOPO_ERR_OOM;
        b->d.params = n;
        b->cap_params = nc;
    }
    b->d.params[b->d.nparams].key = key;
    b->d.params[b->d.nparams].value = value;
    b->d.nparams++;
    return WX_TOPO_OK;
}

/* FILTER_VALIDATE_BOOLEAN's words; anything else is refused rather than
 * read as false (Symfony's reading) so that a typo does not silently turn
 * cluster mode off. */
static int wx_topo_bool(const char *v, int *out)
{
    static const char *const yes[] = { "1", "true", "on", "yes" };
    static const char *const no[] = { "0", "false", "off", "no", "" };
    size_t i;
    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcasecmp(v, yes[i]) == 0) { *out = 1; return 0; }
    }
    for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        if (strcasecmp(v, no[i]) == 0) { *out = 0; return 0; }
    }
    return -1;
}

/* One key=value of the query, both already decoded; takes ownership. */
static int wx_topo_query_param(wx_topo_build_t *b, char *key, char *val,
                               char *err, size_t errlen)
{
    size_t kl = strlen(key);
    int rc = WX_TOPO_OK;

    if (kl >= 6 && strncmp(key, "host[", 5) == 0 && key[kl - 1] == ']') {
        if (val[0] != '\0') {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_PARAM,
                "per-host parameters (host[...]=...) are not supported in DSN");
        } else {
            rc = wx_topo_host_spec(b, key + 5, kl - 6, 1, err, errlen);
        }
    } else if (strncmp(key, "host", 4) == 0 && (key[4] == '\0' || key[4] == '[')) {
        rc = wx_text_fail(err, errlen, WX_TOPO_ERR_PARAM,
            "DSN hosts are written host[address:port], not %s", key);
    } else if (strcmp(key, "auth") == 0 || strcmp(key, "auth[]") == 0) {
        int kind = key[4] == '\0' ? 1 : 2;
        if (b->auth_kind && (kind == 1 || b->auth_kind == 1)) {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_PARAM, "DSN gives auth more than once");
        } else if (b->nauth == 2) {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_PARAM,
                "DSN auth[] takes [password] or [user, password], not more");
        } else {
            b->auth_kind = kind;
            b->auth[b->nauth++] = val;
            val = NULL;
        }
    } else if (strncmp(key, "auth[", 5) == 0) {
        rc = wx_text_fail(err, errlen, WX_TOPO_ERR_PARAM,
            "DSN auth is auth=password or auth[]=user&auth[]=password");
    } else if (strcmp(key, "dbindex") == 0) {
        if (b->db_query_set) {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_PARAM, "DSN gives dbindex more than once");
        } else if (wx_text_parse_uint(val, strlen(val), INT_MAX, &b->db_query) != 0) {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_DBINDEX, "DSN dbindex must be a number, not '%.40s'", val);
        } else {
            b->db_query_set = 1;
        }
    } else if (strcmp(key, "redis_cluster") == 0) {
        if (b->cluster_set) {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_PARAM, "DSN gives redis_cluster more than once");
        } else if (wx_topo_bool(val, &b->cluster) != 0) {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_PARAM,
                "DSN redis_cluster must be 1/true/yes/on or 0/false/no/off, not '%.40s'", val);
        } else {
            b->cluster_set = 1;
        }
    } else if (strcmp(key, "redis_sentinel") == 0 || strcmp(key, "sentinel_master") == 0) {
        char **slot = key[0] == 'r' ? &b->sentinel_opt : &b->sentinel_alias;
        if (*slot) {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_PARAM, "DSN gives %s more than once", key);
        } else {
            *slot = val;
            val = NULL;
        }
    } else {
        rc = wx_topo_add_param(b, key, val);
        if (rc == WX_TOPO_OK) return rc;       /* both kept */
        rc = wx_text_fail(err, errlen, rc, "too many DSN parameters");
    }
    free(key);
    free(val);
    return rc;
}

static int wx_topo_query(wx_topo_build_t *b, const char *p, const char *end,
                         char *err, size_t errlen)
{
    while (p < end) {
        const char *seg_end = wx_topo_find(p, end, '&'), *eq;
        char *key, *val;
        int nul1 = 0, nul2 = 0, rc;
        if (!seg_end) seg_end = end;
        if (seg_end == p) { p++; continue; }
        eq = wx_topo_find(p, seg_end, '=');
        key = wx_topo_decode(p, (size_t)((eq ? eq : seg_end) - p), 1, &nul1);
        val = eq ? wx_topo_decode(eq + 1, (size_t)(seg_end - eq - 1), 1, &nul2) : strdup("");
        if (!key || !val) {
            free(key);
            free(val);
            if (nul1 || nul2) return wx_text_fail(err, errlen, WX_TOPO_ERR_SYNTAX, "DSN query holds an escaped NUL byte (%%00)");
            return wx_text_fail(err, errlen, WX_TOPO_ERR_OOM, "out of memory");
        }
        rc = wx_topo_query_param(b, key, val, err, errlen);
        if (rc != WX_TOPO_OK) return rc;
        p = seg_end + 1;
    }
    return WX_TOPO_OK;
}

/* The userinfo "[user:]password" (rawurldecoded). */
static int wx_topo_userinfo(wx_topo_build_t *b, const char *p, const char *end,
                            char *err, size_t errlen)
{
    const char *colon = wx_topo_find(p, end, ':');
    int nul = 0;
    b->has_ui = 1;
    if (colon) {
        b->ui_user = wx_topo_decode(p, (size_t)(colon - p), 0, &nul);
        if (!b->ui_user) goto bad;
        p = colon + 1;
    }
    b->ui_pass = wx_topo_decode(p, (size_t)(end - p), 0, &nul);
    if (!b->ui_pass) goto bad;
    return WX_TOPO_OK;
bad:
    if (nul) return wx_text_fail(err, errlen, WX_TOPO_ERR_SYNTAX, "DSN credentials hold an escaped NUL byte (%%00)");
    return wx_text_fail(err, errlen, WX_TOPO_ERR_OOM, "out of memory");
}

/* "redis://host[:port][/db]" or "redis:///path/to.sock[/db]" before the query. */
static int wx_topo_authority(wx_topo_build_t *b, const char *p, const char *q,
                             char *err, size_t errlen)
{
    const char *slash = wx_topo_find(p, q, '/');
    const char *aend = slash ? slash : q;
    int rc;
    if (aend > p) {
        rc = wx_topo_host_spec(b, p, (size_t)(aend - p), 0, err, errlen);
        if (rc != WX_TOPO_OK) return rc;
        if (slash && slash + 1 < q) {
            if (wx_text_parse_uint(slash + 1, (size_t)(q - slash - 1), INT_MAX, &b->db_path) != 0) {
                return wx_text_fail(err, errlen, WX_TOPO_ERR_DBINDEX, "DSN database must be a number after '/'");
            }
            b->db_path_set = 1;
        }
        return WX_TOPO_OK;
    }
    if (slash) {
        /* a socket path; "/N" at its end is the database, as Symfony reads it */
        const char *e = q, *d = q;
        while (d > slash && d[-1] >= '0' && d[-1] <= '9') d--;
        if (d > slash && d[-1] == '/' && d - 1 > slash) {
            if (d < e) {
                if (wx_text_parse_uint(d, (size_t)(e - d), INT_MAX, &b->db_path) != 0) {
                    return wx_text_fail(err, errlen, WX_TOPO_ERR_DBINDEX, "DSN database number too large");
                }
                b->db_path_set = 1;
            }
            e = d - 1;
        }
        return wx_topo_host_spec(b, slash, (size_t)(e - slash), 1, err, errlen);
    }
    return WX_TOPO_OK;
}

/* Credentials into the result, as Symfony applies them. */
static int wx_topo_creds(wx_topo_build_t *b, char *err, size_t errlen)
{
    char *au = NULL, *ap = NULL;        /* from auth= / auth[] */
    char *du = NULL, *dp = NULL;        /* data nodes */

    if (b->nauth == 1) {
        ap = b->auth[0];
    } else if (b->nauth == 2) {
        au = b->auth[0];
        ap = b->auth[1];
    }
    if (au && (au[0] == '\0' || strcmp(au, "default") == 0)) au = NULL;
    if (b->has_ui) {
        du = b->ui_user;
        dp = b->ui_pass;
        if (du && (du[0] == '\0' || strcmp(du, "default") == 0)) du = NULL;
        if (!du && dp && dp[0] == '\0') dp = NULL;   /* "redis://@?..." or ":@": no AUTH */
    }
    if (b->d.mode == WX_TOPO_SENTINEL) {
        if (ap) {
            if ((au && !(b->d.sentinel_username = strdup(au))) || !(b->d.sentinel_password = strdup(ap))) goto oom;
        }
    } else if (b->has_ui && ap) {
        int same = dp && strcmp(dp, ap) == 0 && ((!du && !au) || (du && au && strcmp(du, au) == 0));
        if (!same) {
            return wx_text_fail(err, errlen, WX_TOPO_ERR_PARAM,
                "DSN gives credentials twice, before '@' and in auth=; give them once");
        }
    }
    if (!b->has_ui) {       /* the auth parameter serves the data nodes too */
        du = au;
        dp = ap;
    }
    if (dp) {
        if ((du && !(b->d.username = strdup(du))) || !(b->d.password = strdup(dp))) goto oom;
    }
    return WX_TOPO_OK;
oom:
    return wx_text_fail(err, errlen, WX_TOPO_ERR_OOM, "out of memory");
}

int wx_topo_parse_dsn(wx_topo_dsn_t *d, const char *dsn, size_t len,
                      char *err, size_t errlen)
{
    wx_topo_build_t b;
    const char *p, *end = dsn + len, *q, *ui_end = NULL, *x;
    int slashes, rc;
    size_t i;

    memset(&b, 0, sizeof(b));
    if (err && errlen) err[0] = '\0';
    if (len > WX_TOPO_MAX_DSN) {
        rc = wx_text_fail(err, errlen, WX_TOPO_ERR_LIMIT, "DSN is longer than %d bytes", WX_TOPO_MAX_DSN);
        goto out;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)dsn[i];
        if (c <= ' ' || c == 0x7f) {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_SYNTAX,
                "DSN must not contain white space, control characters or NUL bytes");
            goto out;
        }
    }
    if (len >= 7 && memcmp(dsn, "rediss:", 7) == 0) {
        rc = wx_text_fail(err, errlen, WX_TOPO_ERR_SCHEME,
            "rediss: (TLS) is not supported by this build (hiredis without hiredis_ssl)");
        goto out;
    }
    if (len < 6 || memcmp(dsn, "redis:", 6) != 0) {
        rc = wx_text_fail(err, errlen, WX_TOPO_ERR_SCHEME, "DSN must start with redis:");
        goto out;
    }
    p = dsn + 6;
    slashes = end - p >= 2 && p[0] == '/' && p[1] == '/';
    if (slashes) p += 2;

    /* Credentials end at the first "@?" (the host-list form), else at the
     * last '@' before the first '?'. So a raw '@' may sit in a password, and
     * in the query ("auth=p@ss") when no credentials precede it. */
    q = wx_topo_find(p, end, '?');
    if (p < end && *p != '?') {
        ui_end = wx_topo_find_at_q(p, end);
        if (!ui_end) {
            for (x = p; x < (q ? q : end); x++) {
                if (*x == '@') ui_end = x;
            }
        }
    }
    if (ui_end) {
        rc = wx_topo_userinfo(&b, p, ui_end, err, errlen);
        if (rc != WX_TOPO_OK) goto out;
        p = ui_end + 1;
    }
    q = wx_topo_find(p, end, '?');
    if (!q) q = end;
    if (!slashes) {
        if (p != q) {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_SYNTAX,
                "after 'redis:' the DSN needs '?host[address:port]...' (or use redis://host)");
            goto out;
        }
    } else {
        rc = wx_topo_authority(&b, p, q, err, errlen);
        if (rc != WX_TOPO_OK) goto out;
    }
    if (q < end) {
        if (wx_topo_find(q, end, '#')) {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_SYNTAX,
                "DSN query holds a raw '#': write it as %%23");
            goto out;
        }
        rc = wx_topo_query(&b, q + 1, end, err, errlen);
        if (rc != WX_TOPO_OK) goto out;
    }

    /* mode */
    if (b.sentinel_opt && b.sentinel_alias) {
        rc = wx_text_fail(err, errlen, WX_TOPO_ERR_MODE,
            "DSN gives both redis_sentinel and sentinel_master; give one");
        goto out;
    }
    if (b.sentinel_opt || b.sentinel_alias) {
        char *name = b.sentinel_opt ? b.sentinel_opt : b.sentinel_alias;
        if (b.cluster) {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_MODE,
                "DSN cannot use both redis_cluster and redis_sentinel");
            goto out;
        }
        if (name[0] == '\0') {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_MODE, "DSN redis_sentinel needs the service name");
            goto out;
        }
        b.d.mode = WX_TOPO_SENTINEL;
        b.d.service = name;
        if (b.sentinel_opt) b.sentinel_opt = NULL; else b.sentinel_alias = NULL;
    } else if (b.cluster) {
        b.d.mode = WX_TOPO_CLUSTER;
    }
    if (b.d.nhosts == 0) {
        rc = wx_text_fail(err, errlen, WX_TOPO_ERR_NO_HOST, "DSN has no host: add host[address:port]");
        goto out;
    }
    if (b.d.mode == WX_TOPO_SINGLE && b.d.nhosts > 1) {
        rc = wx_text_fail(err, errlen, WX_TOPO_ERR_MODE,
            "DSN lists %zu hosts but neither redis_cluster=1 nor redis_sentinel=NAME "
            "(client-side sharding as with RedisArray is not supported)", b.d.nhosts);
        goto out;
    }

    /* database */
    if (b.db_path_set && b.db_query_set && b.db_path != b.db_query) {
        rc = wx_text_fail(err, errlen, WX_TOPO_ERR_DBINDEX,
            "DSN path and dbindex name different databases (%ld and %ld)", b.db_path, b.db_query);
        goto out;
    }
    b.d.dbindex = b.db_path_set ? b.db_path : (b.db_query_set ? b.db_query : 0);
    if (b.d.mode == WX_TOPO_CLUSTER && b.d.dbindex != 0) {
        rc = wx_text_fail(err, errlen, WX_TOPO_ERR_DBINDEX,
            "Redis Cluster has only database 0; DSN asks for %ld", b.d.dbindex);
        goto out;
    }

    rc = wx_topo_creds(&b, err, errlen);
    if (rc != WX_TOPO_OK) goto out;

    wx_topo_dsn_clear(d);
    *d = b.d;
    wx_topo_dsn_init(&b.d);
    rc = WX_TOPO_OK;
out:
    wx_topo_build_free(&b);
    if (rc != WX_TOPO_OK) wx_topo_dsn_clear(d);
    return rc;
}

/* ---------------------------------------------------- Sentinel, ROLE */

static int wx_topo_reply_error(const redisReply *r, char *err, size_t errlen)
{
    return wx_text_fail(err, errlen, WX_TOPO_ERR_REPLY_ERROR, "%.*s",
                        (int)(r->len > 200 ? 200 : r->len), r->str ? r->str : "");
}

static int wx_topo_is_str(const redisReply *r)
{
    return r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) && r->str;
}

static int wx_topo_str_eq(const redisReply *r, const char *s)
{
    size_t n = strlen(s);
    return wx_topo_is_str(r) && r->len == n && memcmp(r->str, s, n) == 0;
}

static int wx_topo_copy_host(const redisReply *r, wx_topo_hostport_t *out)
{
    size_t i;
    if (!wx_topo_is_str(r) || r->len == 0 || r->len >= WX_TOPO_HOST_MAX) return -1;
    for (i = 0; i < r->len; i++) {
        unsigned char c = (unsigned char)r->str[i];
        if (c <= ' ' || c >= 0x7f) return -1;
    }
    memcpy(out->host, r->str, r->len);
    out->host[r->len] = '\0';
    return 0;
}

/* A port or an offset as an integer reply or as a decimal string. */
static int wx_topo_reply_ll(const redisReply *r, long long *out)
{
    long long v = 0;
    size_t i = 0;
    int neg = 0;
    if (r && r->type == REDIS_REPLY_INTEGER) {
        *out = r->integer;
        return 0;
    }
    if (!wx_topo_is_str(r) || r->len == 0 || r->len > 19) return -1;
    if (r->str[0] == '-') { neg = 1; i = 1; }
    if (i == r->len) return -1;
    for (; i < r->len; i++) {
        if (r->str[i] < '0' || r->str[i] > '9') return -1;
        v = v * 10 + (r->str[i] - '0');
    }
    *out = neg ? -v : v;
    return 0;
}

static int wx_topo_reply_port(const redisReply *r, int *port)
{
    long long v;
    if (wx_topo_reply_ll(r, &v) != 0 || v < 1 || v > 65535) return -1;
    *port = (int)v;
    return 0;
}

int wx_topo_parse_master_addr(const redisReply *r, wx_topo_hostport_t *out,
                              char *err, size_t errlen)
{
    if (!r) return wx_text_fail(err, errlen, WX_TOPO_ERR_REPLY, "no reply");
    if (r->type == REDIS_REPLY_ERROR) return wx_topo_reply_error(r, err, errlen);
    if (r->type == REDIS_REPLY_NIL) {
        return wx_text_fail(err, errlen, WX_TOPO_ERR_UNKNOWN_NAME, "the sentinel knows no master of that name");
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
        wx_topo_copy_host(r->element[0], out) != 0 || wx_topo_reply_port(r->element[1], &out->port) != 0) {
        return wx_text_fail(err, errlen, WX_TOPO_ERR_REPLY,
            "SENTINEL get-master-addr-by-name did not answer [ip, port]");
    }
    return WX_TOPO_OK;
}

static wx_topo_link_t wx_topo_link(const redisReply *r)
{
    static const struct { const char *s; wx_topo_link_t l; } m[] = {
        { "none", WX_TOPO_LINK_NONE }, { "connect", WX_TOPO_LINK_CONNECT },
        { "connecting", WX_TOPO_LINK_CONNECTING }, { "handshake", WX_TOPO_LINK_HANDSHAKE },
        { "sync", WX_TOPO_LINK_SYNC }, { "connected", WX_TOPO_LINK_CONNECTED },
    };
    size_t i;
    for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        if (wx_topo_str_eq(r, m[i].s)) return m[i].l;
    }
    return WX_TOPO_LINK_UNKNOWN;
}

int wx_topo_parse_role(const redisReply *r, wx_topo_role_t *out,
                       char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (!r) return wx_text_fail(err, errlen, WX_TOPO_ERR_REPLY, "no reply");
    if (r->type == REDIS_REPLY_ERROR) return wx_topo_reply_error(r, err, errlen);
    if (r->type != REDIS_REPLY_ARRAY || r->elements < 1 || !wx_topo_is_str(r->element[0])) goto bad;

    if (wx_topo_str_eq(r->element[0], "master")) {
        const redisReply *list;
        size_t i;
        if (r->elements < 3 || wx_topo_reply_ll(r->element[1], &out->offset) != 0) goto bad;
        list = r->element[2];
        if (!list || list->type != REDIS_REPLY_ARRAY) goto bad;
        out->role = WX_TOPO_ROLE_MASTER;
        for (i = 0; i < list->elements; i++) {
            const redisReply *e = list->element[i];
            wx_topo_hostport_t hp;
            long long off = -1;
            if (!e || e->type != REDIS_REPLY_ARRAY || e->elements < 2 ||
                wx_topo_copy_host(e->element[0], &hp) != 0 || wx_topo_reply_port(e->element[1], &hp.port) != 0) {
                goto bad;
            }
            if (e->elements >= 3 && wx_topo_reply_ll(e->element[2], &off) != 0) goto bad;
            if (out->nreplicas < WX_TOPO_ROLE_MAX_REPLICAS) {
                out->replicas[out->nreplicas] = hp;
                out->replica_offsets[out->nreplicas] = off;
            }
            out->nreplicas++;
        }
        return WX_TOPO_OK;
    }
    if (wx_topo_str_eq(r->element[0], "slave") || wx_topo_str_eq(r->element[0], "replica")) {
        if (r->elements < 5 || wx_topo_copy_host(r->element[1], &out->master) != 0 ||
            wx_topo_reply_port(r->element[2], &out->master.port) != 0 ||
            !wx_topo_is_str(r->element[3]) || wx_topo_reply_ll(r->element[4], &out->offset) != 0) {
            goto bad;
        }
        out->role = WX_TOPO_ROLE_REPLICA;
        out->link = wx_topo_link(r->element[3]);
        return WX_TOPO_OK;
    }
    if (wx_topo_str_eq(r->element[0], "sentinel")) {
        out->role = WX_TOPO_ROLE_SENTINEL;
        return WX_TOPO_OK;
    }
bad:
    memset(out, 0, sizeof(*out));
    return wx_text_fail(err, errlen, WX_TOPO_ERR_REPLY, "ROLE answered something unexpected");
}

int wx_topo_parse_switch_master(const char *payload, size_t len, const char *name,
                                wx_topo_hostport_t *old_master,
                                wx_topo_hostport_t *new_master)
{
    const char *tok[5], *p = payload, *end = payload + len;
    size_t tl[5], n = 0, nl = strlen(name);
    int i;

    while (p < end && n < 5) {
        const char *s = p;
        while (p < end && *p != ' ') p++;
        if (p == s) return WX_TOPO_ERR_REPLY;          /* empty token (double space) */
        tok[n] = s;
        tl[n++] = (size_t)(p - s);
        if (p < end) p++;                              /* the one space */
        else break;
        if (p == end) return WX_TOPO_ERR_REPLY;        /* trailing space */
    }
    if (n != 5 || p != end) return WX_TOPO_ERR_REPLY;
    for (i = 0; i < 2; i++) {
        wx_topo_hostport_t *hp = i ? new_master : old_master;
        size_t hl = tl[1 + 2 * i], k;
        if (hl >= WX_TOPO_HOST_MAX) return WX_TOPO_ERR_REPLY;
        for (k = 0; k < hl; k++) {
            unsigned char c = (unsigned char)tok[1 + 2 * i][k];
            if (c < ' ' || c >= 0x7f) return WX_TOPO_ERR_REPLY;
        }
        memcpy(hp->host, tok[1 + 2 * i], hl);
        hp->host[hl] = '\0';
        if (wx_topo_parse_port(tok[2 + 2 * i], tl[2 + 2 * i], &hp->port) != 0) return WX_TOPO_ERR_REPLY;
    }
    if (tl[0] != nl || memcmp(tok[0], name, nl) != 0) return WX_TOPO_ERR_OTHER_NAME;
    return WX_TOPO_OK;
}

/* ---------------------------------------------------------- errors */

wx_topo_errclass_t wx_topo_error_class(const char *msg, size_t len)
{
    static const struct { const char *w; wx_topo_errclass_t c; } m[] = {
        { "MOVED", WX_TOPO_ERRCLASS_MOVED }, { "ASK", WX_TOPO_ERRCLASS_ASK },
        { "TRYAGAIN", WX_TOPO_ERRCLASS_TRYAGAIN }, { "CLUSTERDOWN", WX_TOPO_ERRCLASS_CLUSTERDOWN },
        { "CROSSSLOT", WX_TOPO_ERRCLASS_CROSSSLOT }, { "READONLY", WX_TOPO_ERRCLASS_READONLY },
        { "LOADING", WX_TOPO_ERRCLASS_LOADING }, { "MASTERDOWN", WX_TOPO_ERRCLASS_MASTERDOWN },
        { "NOREPLICAS", WX_TOPO_ERRCLASS_NOREPLICAS }, { "NOAUTH", WX_TOPO_ERRCLASS_NOAUTH },
        { "WRONGPASS", WX_TOPO_ERRCLASS_NOAUTH }, { "BUSY", WX_TOPO_ERRCLASS_BUSY },
    };
    size_t i, wl = 0;
    if (!msg) return WX_TOPO_ERRCLASS_OTHER;
    if (len && msg[0] == '-') { msg++; len--; }
    while (wl < len && msg[wl] != ' ' && msg[wl] != '\r' && msg[wl] != '\n') wl++;
    for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        if (strlen(m[i].w) == wl && memcmp(m[i].w, msg, wl) == 0) return m[i].c;
    }
    return WX_TOPO_ERRCLASS_OTHER;
}

const char *wx_topo_errclass_name(wx_topo_errclass_t c)
{
    switch (c) {
    case WX_TOPO_ERRCLASS_OTHER:       return "other";
    case WX_TOPO_ERRCLASS_MOVED:       return "MOVED";
    case WX_TOPO_ERRCLASS_ASK:         return "ASK";
    case WX_TOPO_ERRCLASS_TRYAGAIN:    return "TRYAGAIN";
    case WX_TOPO_ERRCLASS_CLUSTERDOWN: return "CLUSTERDOWN";
    case WX_TOPO_ERRCLASS_CROSSSLOT:   return "CROSSSLOT";
    case WX_TOPO_ERRCLASS_READONLY:    return "READONLY";
    case WX_TOPO_ERRCLASS_LOADING:     return "LOADING";
    case WX_TOPO_ERRCLASS_MASTERDOWN:  return "MASTERDOWN";
    case WX_TOPO_ERRCLASS_NOREPLICAS:  return "NOREPLICAS";
    case WX_TOPO_ERRCLASS_NOAUTH:      return "NOAUTH";
    case WX_TOPO_ERRCLASS_BUSY:        return "BUSY";
    }
    return "unknown";
}
