/*
 * fcgi-load: a small FastCGI load generator for bench/run-fpm.
 *
 * Keeps C connections to one php-fpm listen socket (unix or 127.0.0.1:port)
 * busy with the same GET request for a script, for a time (-t) or a number
 * of requests (-n), and checks every answer: no "Status:" header other than
 * 200, no FCGI_STDERR output, and a body equal to -e (default "ok").
 * One thread, poll(); the request bytes are built once.
 *
 *   fcgi-load -s SOCKET -f SCRIPT_FILENAME [-c CONNS] (-t SECONDS | -n REQUESTS)
 *             [-e BODY | -o] [-p NAME=VALUE]... [-K]
 *
 * -K opens a new connection for every request (what nginx does without
 * fastcgi_keep_conn); by default connections are kept (FCGI_KEEP_CONN), so
 * with C = pm.max_children every worker serves one connection. -o prints
 * the first answer's body (on a line of its own) instead of comparing it.
 * Prints one line: requests=N errors=E seconds=S rps=R
 * and the first bad answer on stderr. Exit status 0 only when errors=0.
 * Started and stopped in the same go after the deadline: requests still in
 * flight are waited for (at most 10 s) and counted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#define FCGI_BEGIN_REQUEST 1
#define FCGI_END_REQUEST 3
#define FCGI_PARAMS 4
#define FCGI_STDIN 5
#define FCGI_STDOUT 6
#define FCGI_STDERR 7
#define FCGI_RESPONDER 1
#define FCGI_KEEP_CONN 1

#define MAX_CONNS 256
#define MAX_BODY 65536

typedef struct {
    int fd;
    int busy;               /* a request is in flight */
    unsigned char *in;      /* bytes read, not yet parsed */
    size_t in_len, in_cap;
    char *out;              /* FCGI_STDOUT content of the current answer */
    size_t out_len;
    int had_stderr;
} conn_t;

static const char *g_sock;
static unsigned char *g_req;
static size_t g_req_len;
static int g_keep = 1;
static const char *g_expect = "ok";
static long g_errors, g_done;
static int g_reported;
static int g_print;         /* -o: print the first body instead of comparing it */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "fcgi-load: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void buf_add(unsigned char **b, size_t *len, size_t *cap, const void *p, size_t n)
{
    if (*len + n > *cap) {
        *cap = (*len + n) * 2 + 256;
        *b = realloc(*b, *cap);
        if (!*b) die("realloc");
    }
    memcpy(*b + *len, p, n);
    *len += n;
}

static void rec_header(unsigned char *h, int type, size_t clen)
{
    h[0] = 1; h[1] = (unsigned char) type; h[2] = 0; h[3] = 1;   /* version 1, request id 1 */
    h[4] = (unsigned char) (clen >> 8); h[5] = (unsigned char) clen;
    h[6] = 0; h[7] = 0;
}

static void param_add(unsigned char **b, size_t *len, size_t *cap, const char *name, const char *value)
{
    size_t nl = strlen(name), vl = strlen(value);
    unsigned char l[8];
    size_t k = 0;
    if (nl < 128) l[k++] = (unsigned char) nl;
    else { l[k++] = 0x80 | (nl >> 24); l[k++] = nl >> 16; l[k++] = nl >> 8; l[k++] = nl; }
    if (vl < 128) l[k++] = (unsigned char) vl;
    else { l[k++] = 0x80 | (vl >> 24); l[k++] = vl >> 16; l[k++] = vl >> 8; l[k++] = vl; }
    buf_add(b, len, cap, l, k);
    buf_add(b, len, cap, name, nl);
    buf_add(b, len, cap, value, vl);
}

/* BEGIN_REQUEST, PARAMS, empty PARAMS, empty STDIN: one write per request. */
static void build_request(const char *script, char **extra, int nextra)
{
    unsigned char *p = NULL, h[8], begin[8] = {0, FCGI_RESPONDER, 0, 0, 0, 0, 0, 0};
    size_t plen = 0, pcap = 0, cap = 0;
    const char *slash = strrchr(script, '/');
    char docroot[4096];
    int i;

    snprintf(docroot, sizeof docroot, "%.*s", slash ? (int) (slash - script) : 1, slash ? script : "/");
    /* what nginx's fastcgi_params sends, give or take */
    param_add(&p, &plen, &pcap, "SCRIPT_FILENAME", script);
    param_add(&p, &plen, &pcap, "SCRIPT_NAME", slash ? slash : script);
    param_add(&p, &plen, &pcap, "REQUEST_URI", slash ? slash : script);
    param_add(&p, &plen, &pcap, "DOCUMENT_URI", slash ? slash : script);
    param_add(&p, &plen, &pcap, "DOCUMENT_ROOT", docroot);
    param_add(&p, &plen, &pcap, "QUERY_STRING", "");
    param_add(&p, &plen, &pcap, "REQUEST_METHOD", "GET");
    param_add(&p, &plen, &pcap, "CONTENT_TYPE", "");
    param_add(&p, &plen, &pcap, "CONTENT_LENGTH", "");
    param_add(&p, &plen, &pcap, "SERVER_PROTOCOL", "HTTP/1.1");
    param_add(&p, &plen, &pcap, "GATEWAY_INTERFACE", "CGI/1.1");
    param_add(&p, &plen, &pcap, "SERVER_SOFTWARE", "fcgi-load");
    param_add(&p, &plen, &pcap, "REMOTE_ADDR", "127.0.0.1");
    param_add(&p, &plen, &pcap, "REMOTE_PORT", "40000");
    param_add(&p, &plen, &pcap, "SERVER_ADDR", "127.0.0.1");
    param_add(&p, &plen, &pcap, "SERVER_PORT", "80");
    param_add(&p, &plen, &pcap, "SERVER_NAME", "localhost");
    param_add(&p, &plen, &pcap, "HTTP_HOST", "localhost");
    for (i = 0; i < nextra; i++) {
        char *eq = strchr(extra[i], '=');
        if (!eq) { fprintf(stderr, "fcgi-load: -p wants NAME=VALUE, got %s\n", extra[i]); exit(2); }
        *eq = 0;
        param_add(&p, &plen, &pcap, extra[i], eq + 1);
        *eq = '=';
    }
    if (plen > 65535) { fprintf(stderr, "fcgi-load: params too long\n"); exit(2); }

    g_req = NULL; g_req_len = 0;
    begin[2] = g_keep ? FCGI_KEEP_CONN : 0;
    rec_header(h, FCGI_BEGIN_REQUEST, 8);
    buf_add(&g_req, &g_req_len, &cap, h, 8);
    buf_add(&g_req, &g_req_len, &cap, begin, 8);
    rec_header(h, FCGI_PARAMS, plen);
    buf_add(&g_req, &g_req_len, &cap, h, 8);
    buf_add(&g_req, &g_req_len, &cap, p, plen);
    rec_header(h, FCGI_PARAMS, 0);
    buf_add(&g_req, &g_req_len, &cap, h, 8);
    rec_header(h, FCGI_STDIN, 0);
    buf_add(&g_req, &g_req_len, &cap, h, 8);
    free(p);
}

static int open_conn(void)
{
    int fd;
    if (g_sock[0] == '/') {
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        if (strlen(g_sock) >= sizeof a.sun_path) { fprintf(stderr, "fcgi-load: socket path too long\n"); exit(2); }
        strcpy(a.sun_path, g_sock);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) die("socket");
        if (connect(fd, (struct sockaddr *) &a, sizeof a) < 0) die(g_sock);
    } else {
        /* host:port, loopback only */
        struct sockaddr_in a;
        const char *colon = strrchr(g_sock, ':');
        char host[64];
        int one = 1;
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        if (!colon || (size_t) (colon - g_sock) >= sizeof host) { fprintf(stderr, "fcgi-load: bad -s %s\n", g_sock); exit(2); }
        snprintf(host, sizeof host, "%.*s", (int) (colon - g_sock), g_sock);
        a.sin_port = htons((uint16_t) atoi(colon + 1));
        if (inet_pton(AF_INET, host, &a.sin_addr) != 1 || (ntohl(a.sin_addr.s_addr) >> 24) != 127) {
            fprintf(stderr, "fcgi-load: -s must be a unix socket path or 127.x.x.x:port\n");
            exit(2);
        }
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) die("socket");
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(fd, (struct sockaddr *) &a, sizeof a) < 0) die(g_sock);
    }
    return fd;
}

static void report_bad(conn_t *c, const char *why)
{
    g_errors++;
    if (!g_reported) {
        g_reported = 1;
        fprintf(stderr, "fcgi-load: bad answer (%s):\n%.*s\n", why, (int) (c->out_len > 2000 ? 2000 : c->out_len),
                c->out ? c->out : "");
    }
}

static void send_request(conn_t *c)
{
    size_t off = 0;
    if (c->fd < 0) c->fd = open_conn();
    while (off < g_req_len) {
        ssize_t n = write(c->fd, g_req + off, g_req_len - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("write");
        }
        off += (size_t) n;
    }
    c->busy = 1;
    c->out_len = 0;
    c->had_stderr = 0;
}

/* One complete answer is in c->out: check it. */
static void check_answer(conn_t *c, int app_status)
{
    const char *body, *status;
    c->out[c->out_len < MAX_BODY ? c->out_len : MAX_BODY - 1] = 0;
    body = strstr(c->out, "\r\n\r\n");
    status = strstr(c->out, "Status:");
    if (c->had_stderr) report_bad(c, "FCGI_STDERR output");
    else if (app_status != 0) report_bad(c, "non-zero app status");
    else if (!body) report_bad(c, "no header end");
    else if (status && status < body && strncmp(status, "Status: 200", 11) != 0) report_bad(c, "HTTP status");
    else if (g_print) {
        if (g_print == 1) printf("%s\n", body + 4);
        g_print = 2;
        g_done++;
    } else if (strcmp(body + 4, g_expect) != 0) report_bad(c, "unexpected body");
    else g_done++;
}

/* Parse complete records; returns 1 when END_REQUEST was seen. */
static int parse(conn_t *c)
{
    size_t pos = 0;
    int ended = 0;
    while (c->in_len - pos >= 8) {
        unsigned char *h = c->in + pos;
        size_t clen = ((size_t) h[4] << 8) | h[5], total = 8 + clen + h[6];
        if (c->in_len - pos < total) break;
        if (h[1] == FCGI_STDOUT) {
            size_t room = MAX_BODY - 1 - c->out_len;
            size_t n = clen < room ? clen : room;
            memcpy(c->out + c->out_len, h + 8, n);
            c->out_len += n;
        } else if (h[1] == FCGI_STDERR && clen > 0) {
            size_t room = MAX_BODY - 1 - c->out_len;
            size_t n = clen < room ? clen : room;
            memcpy(c->out + c->out_len, h + 8, n);
            c->out_len += n;
            c->had_stderr = 1;
        } else if (h[1] == FCGI_END_REQUEST) {
            int app = clen >= 8 ? (h[8] << 24 | h[9] << 16 | h[10] << 8 | h[11]) : -1;
            check_answer(c, app);
            c->busy = 0;
            ended = 1;
        }
        pos += total;
    }
    memmove(c->in, c->in + pos, c->in_len - pos);
    c->in_len -= pos;
    return ended;
}

static void usage(void)
{
    fprintf(stderr, "usage: fcgi-load -s SOCKET -f SCRIPT [-c CONNS] (-t SECONDS | -n REQUESTS) [-e BODY | -o] [-p NAME=VALUE]... [-K]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *script = NULL;
    char *extra[64];
    int nextra = 0, nconns = 4, opt, i, active;
    double seconds = 0, t0, deadline, drain_deadline, t_end;
    long nreq = 0, sent = 0;
    conn_t conns[MAX_CONNS];
    struct pollfd pfd[MAX_CONNS];

    while ((opt = getopt(argc, argv, "s:f:c:t:n:e:p:Ko")) != -1) {
        switch (opt) {
        case 's': g_sock = optarg; break;
        case 'f': script = optarg; break;
        case 'c': nconns = atoi(optarg); break;
        case 't': seconds = atof(optarg); break;
        case 'n': nreq = atol(optarg); break;
        case 'e': g_expect = optarg; break;
        case 'p': if (nextra < 64) extra[nextra++] = optarg; break;
        case 'K': g_keep = 0; break;
        case 'o': g_print = 1; break;
        default: usage();
        }
    }
    if (!g_sock || !script || nconns < 1 || nconns > MAX_CONNS || (seconds <= 0) == (nreq <= 0)) usage();
    build_request(script, extra, nextra);

    memset(conns, 0, sizeof conns);
    for (i = 0; i < nconns; i++) {
        conns[i].fd = -1;
        conns[i].out = malloc(MAX_BODY);
        if (!conns[i].out) die("malloc");
    }
    t0 = now();
    deadline = seconds > 0 ? t0 + seconds : 1e300;
    drain_deadline = (seconds > 0 ? deadline : t0 + 600) + 10;
    for (i = 0; i < nconns && (nreq <= 0 || sent < nreq); i++) {
        send_request(&conns[i]);
        sent++;
    }
    for (;;) {
        int n = 0, rc;
        double t = now();
        for (i = 0, active = 0; i < nconns; i++) {
            if (conns[i].busy) {
                pfd[n].fd = conns[i].fd;
                pfd[n].events = POLLIN;
                pfd[n].revents = 0;
                n++;
                active++;
            }
        }
        if (!active) break;
        if (t > drain_deadline) {
            fprintf(stderr, "fcgi-load: %d requests still unanswered 10 s after the deadline\n", active);
            g_errors += active;
            break;
        }
        rc = poll(pfd, (nfds_t) n, 1000);
        if (rc < 0) {
            if (errno == EINTR) continue;
            die("poll");
        }
        for (i = 0, n = 0; i < nconns; i++) {
            conn_t *c = &conns[i];
            unsigned char buf[16384];
            ssize_t r;
            if (!c->busy) continue;
            if (!(pfd[n++].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            r = read(c->fd, buf, sizeof buf);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) {
                report_bad(c, r == 0 ? "connection closed mid-answer" : strerror(errno));
                close(c->fd);
                c->fd = -1;
                c->busy = 0;
                c->in_len = 0;
            } else {
                buf_add(&c->in, &c->in_len, &c->in_cap, buf, (size_t) r);
                if (!parse(c)) continue;
                if (!g_keep) {
                    close(c->fd);
                    c->fd = -1;
                }
            }
            if (g_errors > 100) {
                fprintf(stderr, "fcgi-load: giving up after 100 bad answers\n");
                goto out;
            }
            if (now() < deadline && (nreq <= 0 || sent < nreq)) {
                send_request(c);
                sent++;
            }
        }
    }
out:
    t_end = now();
    for (i = 0; i < nconns; i++) {
        if (conns[i].fd >= 0) close(conns[i].fd);
    }
    printf("requests=%ld errors=%ld seconds=%.4f rps=%.1f\n", g_done, g_errors, t_end - t0,
           t_end > t0 ? g_done / (t_end - t0) : 0.0);
    return g_errors ? 1 : 0;
}
