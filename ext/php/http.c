/*
 * JSON POST over PHP's stream layer: php_stream_open_wrapper_ex() on an
 * http(s):// URL with a stream context (method, header, content, timeout,
 * ignore_errors), exactly what file_get_contents() with a context does, but
 * silent: the warnings the wrappers raise are caught and returned as text.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include <time.h>

#include "php.h"
#include "php_streams.h"
#include "zend_exceptions.h"

#include "../php_wxredis.h"
#include "http.h"

#define WX_HTTP_RESPONSE_VAR "http_response_header"

double wx_http_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------- $http_response_header
 *
 * PHP's http wrapper stores the response headers in $http_response_header of
 * the innermost userland frame, which for us is whoever called an
 * OpenPlatform method. A library call should not create or overwrite a
 * variable in its caller's scope, so the variable is saved before the
 * request and put back (or removed) after it. */

static zend_execute_data *wx_http_user_frame(void)
{
    zend_execute_data *ex = EG(current_execute_data);
    while (ex && (!ex->func || !ZEND_USER_CODE(ex->func->common.type))) {
        ex = ex->prev_execute_data;
    }
    return ex;
}

/* The variable's slot in frame ex (a CV or a symbol table entry), or NULL. */
static zval *wx_http_frame_var(zend_execute_data *ex)
{
    const zend_op_array *op_array = &ex->func->op_array;
    int i;

    if (ZEND_CALL_INFO(ex) & ZEND_CALL_HAS_SYMBOL_TABLE) {
        return zend_hash_str_find_ind(ex->symbol_table, ZEND_STRL(WX_HTTP_RESPONSE_VAR));
    }
    for (i = 0; i < op_array->last_var; i++) {
        if (zend_string_equals_literal(op_array->vars[i], WX_HTTP_RESPONSE_VAR)) {
            return ZEND_CALL_VAR_NUM(ex, i);
        }
    }
    return NULL;
}

static void wx_http_save_var(zend_execute_data *ex, zval *saved)
{
    zval *v = ex ? wx_http_frame_var(ex) : NULL;
    if (v && !Z_ISUNDEF_P(v)) {
        ZVAL_COPY(saved, v);
    } else {
        ZVAL_UNDEF(saved);
    }
}

static void wx_http_restore_var(zend_execute_data *ex, zval *saved)
{
    zval *v;

    if (!ex) {
        return;
    }
    v = wx_http_frame_var(ex);
    if (!Z_ISUNDEF_P(saved)) {
        if (v) {
            zval garbage;
            ZVAL_COPY_VALUE(&garbage, v);
            ZVAL_COPY_VALUE(v, saved);
            zval_ptr_dtor(&garbage);
        } else {
            zval_ptr_dtor(saved);
        }
    } else if (v && !Z_ISUNDEF_P(v)) {
        if (ZEND_CALL_INFO(ex) & ZEND_CALL_HAS_SYMBOL_TABLE) {
            zend_hash_str_del_ind(ex->symbol_table, ZEND_STRL(WX_HTTP_RESPONSE_VAR));
        } else {
            zval garbage;
            ZVAL_COPY_VALUE(&garbage, v);
            ZVAL_UNDEF(v);
            zval_ptr_dtor(&garbage);
        }
    }
}

/* ------------------------------------------------------------------ errors */

/* A stream warning without its "Function(url): " head (the URL may carry an
 * access token) and without "Failed to open stream: ". */
static void wx_http_take_warning(wx_http_result_t *res)
{
    zend_object *ex = EG(exception);
    zval rv, *m;
    const char *msg, *p;

    EG(exception) = NULL;
    m = zend_read_property_ex(ex->ce, ex, ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
    msg = Z_TYPE_P(m) == IS_STRING ? Z_STRVAL_P(m) : "unknown error";
    if ((p = strstr(msg, "): ")) != NULL) {
        msg = p + 3;
    }
    if (strncmp(msg, "Failed to open stream: ", 23) == 0) {
        msg += 23;
    }
    if (res->error[0] == '\0') {
        snprintf(res->error, sizeof(res->error), "%s", msg);
    }
    OBJ_RELEASE(ex);
}

/* ------------------------------------------------------------------ request */

static void wx_http_opt_str(php_stream_context *ctx, const char *name, const char *value, size_t len)
{
    zval v;
    ZVAL_STRINGL(&v, value, len);
    php_stream_context_set_option(ctx, "http", name, &v);
    zval_ptr_dtor(&v);
}

static void wx_http_opt(php_stream_context *ctx, const char *name, zval *v)
{
    php_stream_context_set_option(ctx, "http", name, v);
}

/* The status of the last status line among the headers (after a
 * "100 Continue" comes the real one). */
static int wx_http_status(php_stream *stream)
{
    zval *line;
    int status = 0;

    if (Z_TYPE(stream->wrapperdata) != IS_ARRAY) {
        return 0;
    }
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL(stream->wrapperdata), line) {
        if (Z_TYPE_P(line) == IS_STRING && Z_STRLEN_P(line) > 9
                && strncmp(Z_STRVAL_P(line), "HTTP/", 5) == 0) {
            const char *sp = memchr(Z_STRVAL_P(line), ' ', Z_STRLEN_P(line));
            if (sp) {
                status = atoi(sp + 1);
            }
        }
    } ZEND_HASH_FOREACH_END();
    return status;
}

static bool wx_http_timed_out(php_stream *stream)
{
    zval meta, *t;
    bool timed_out = false;

    array_init(&meta);
    if (php_stream_populate_meta_data(stream, &meta)
            && (t = zend_hash_str_find(Z_ARRVAL(meta), ZEND_STRL("timed_out"))) != NULL) {
        timed_out = zend_is_true(t);
    }
    zval_ptr_dtor(&meta);
    return timed_out;
}

zend_result wx_http_post_json(const char *url, zend_string *json, double timeout, wx_http_result_t *res)
{
    php_stream_context *ctx;
    php_stream *stream;
    zend_error_handling eh;
    zend_execute_data *frame = wx_http_user_frame();
    zend_object *pending = EG(exception);
    zval saved, v;
    double started;
    static const char headers[] =
        "Content-Type: application/json; charset=utf-8\r\n"
        "Accept: application/json";

    memset(res, 0, sizeof(*res));

    ctx = php_stream_context_alloc();
    wx_http_opt_str(ctx, "method", ZEND_STRL("POST"));
    wx_http_opt_str(ctx, "header", headers, sizeof(headers) - 1);
    wx_http_opt_str(ctx, "user_agent", ZEND_STRL("wxredis/" PHP_WXREDIS_VERSION));
    ZVAL_STR(&v, json);
    wx_http_opt(ctx, "content", &v);
    ZVAL_DOUBLE(&v, timeout);
    wx_http_opt(ctx, "timeout", &v);
    ZVAL_TRUE(&v);
    wx_http_opt(ctx, "ignore_errors", &v);   /* read 4xx/5xx answers too */
    ZVAL_LONG(&v, 0);
    wx_http_opt(ctx, "follow_location", &v); /* WeChat does not redirect */
    ZVAL_DOUBLE(&v, 1.1);
    wx_http_opt(ctx, "protocol_version", &v);  /* with Connection: close */

    wx_http_save_var(frame, &saved);
    /* warnings of the wrappers (connect, DNS, TLS) become an exception we
     * take apart below, instead of reaching the application's error
     * handler or error_get_last() */
    EG(exception) = NULL;
    zend_replace_error_handling(EH_THROW, zend_ce_error_exception, &eh);
    started = wx_http_now();

    stream = php_stream_open_wrapper_ex(url, "rb", REPORT_ERRORS | STREAM_DISABLE_URL_PROTECTION, NULL, ctx);
    if (stream) {
        res->status = wx_http_status(stream);
        res->body = php_stream_copy_to_mem(stream, WX_HTTP_MAX_BODY + 1, 0);
        if (!res->body) {
            res->body = ZSTR_EMPTY_ALLOC();
        }
        res->timed_out = wx_http_timed_out(stream);
        php_stream_close(stream);
    }

    zend_restore_error_handling(&eh);
    if (EG(exception)) {
        wx_http_take_warning(res);
    }
    EG(exception) = pending;
    wx_http_restore_var(frame, &saved);
    zend_list_delete(ctx->res);

    if (!stream || res->timed_out) {
        if (!stream && wx_http_now() - started >= timeout * 0.95) {
            res->timed_out = true;
        }
        if (res->timed_out) {
            snprintf(res->error, sizeof(res->error), "no complete answer within %.3g s (http_timeout)", timeout);
        } else if (res->error[0] == '\0') {
            snprintf(res->error, sizeof(res->error), "the request failed");
        }
        if (res->body) {
            zend_string_release(res->body);
            res->body = NULL;
        }
        return FAILURE;
    }
    if (res->status == 0) {
        snprintf(res->error, sizeof(res->error), "the answer has no HTTP status line");
        zend_string_release(res->body);
        res->body = NULL;
        return FAILURE;
    }
    if (ZSTR_LEN(res->body) > WX_HTTP_MAX_BODY) {
        snprintf(res->error, sizeof(res->error), "the answer is larger than %zu bytes", WX_HTTP_MAX_BODY);
        zend_string_release(res->body);
        res->body = NULL;
        return FAILURE;
    }
    return SUCCESS;
}

void wx_http_result_free(wx_http_result_t *res)
{
    if (res->body) {
        zend_string_release(res->body);
        res->body = NULL;
    }
}
