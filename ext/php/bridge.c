/*
 * The lazy PSR bridge.
 *
 * A class compiled into an extension cannot implement an interface that
 * userland (composer's psr/simple-cache, in any of its three major versions)
 * declares later. So the implementation lives in the internal class
 * WxRedis\CacheBase, and WxRedis\Cache, WxRedis\CacheException and
 * WxRedis\InvalidArgumentException are declared the first time anything asks
 * for them, through the engine's autoload hook: as subclasses that implement
 * the PSR interfaces when those can be autoloaded at that moment, and plainly
 * otherwise. WxRedis\Cache and WxRedis\OpenPlatform (over OpenPlatformBase)
 * also implement Psr\Log\LoggerAwareInterface when psr/log is there; each
 * interface is looked up on its own, so psr/log without psr/simple-cache
 * (or the reverse) gives what there is. Doing it on first use rather than in RINIT matters: composer
 * registers its autoloader after RINIT.
 *
 * The class entry is built here and linked by the engine's own linker
 * (zend_do_link_class: inheritance, interface checks, the same path a
 * compiled "class X extends Y implements Z {}" takes), not compiled from PHP
 * source by eval: compiling was ~23k instructions per class per request.
 * That class is a user class in the request's class table, so the engine
 * frees it at request end like any declared class: the interfaces can be
 * different ones in the next request (another psr/simple-cache, opcache
 * reset), so nothing of it may outlive the request.
 *
 * Under php-fpm with opcache the interfaces are the same every request:
 * classes opcache keeps in shared memory are immutable and stay at one
 * address until opcache restarts. When every interface found is such a one,
 * the class is built once per process as a persistent (internal) class
 * and each request only puts it back into its class table: linking was
 * ~6k instructions a request, a third of a cache get's page. The kept
 * class is found again by the identity of its interfaces, so an opcache
 * restart or another application's psr/simple-cache in the same pool gets
 * its own (at most WX_BRIDGE_KEPT_MAX of them, then linking per request
 * again); a kept class lives until MSHUTDOWN (opcache's inheritance cache
 * may point at it). Not under ZTS: threads would share the class entries.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "zend_execute.h"
#include "zend_inheritance.h"

#include "php_wxredis.h"
#include "bridge.h"

#define WX_BRIDGE_PSR_MAX 2
#define WX_BRIDGE_KEPT_MAX 4

typedef struct {
    const char *name;        /* WxRedis\Cache */
    const char *parent;      /* the internal class it extends */
    const char *own_iface;   /* an internal interface it implements, or NULL */
    const char *psr_iface[WX_BRIDGE_PSR_MAX];  /* interfaces to implement when available (NULL ends) */
} wx_bridge_entry_t;

static const wx_bridge_entry_t wx_bridge[WX_BRIDGE_COUNT] = {
    [WX_BRIDGE_CACHE] = {
        "WxRedis\\Cache", "WxRedis\\CacheBase", NULL,
        { "Psr\\SimpleCache\\CacheInterface", "Psr\\Log\\LoggerAwareInterface" },
    },
    [WX_BRIDGE_CACHE_EXCEPTION] = {
        "WxRedis\\CacheException", "RuntimeException", "WxRedis\\Exception",
        { "Psr\\SimpleCache\\CacheException" },
    },
    [WX_BRIDGE_INVALID_ARGUMENT] = {
        "WxRedis\\InvalidArgumentException", "InvalidArgumentException", "WxRedis\\Exception",
        { "Psr\\SimpleCache\\InvalidArgumentException" },
    },
    [WX_BRIDGE_OPEN_PLATFORM] = {
        "WxRedis\\OpenPlatform", "WxRedis\\OpenPlatformBase", NULL,
        { "Psr\\Log\\LoggerAwareInterface" },
    },
};

/* Interned once at MINIT, so a declaration allocates no strings for them
 * (releasing an interned string is a no-op, so the engine may "free" them
 * with the class). */
typedef struct {
    zend_string *name, *lc_name;
    zend_string *parent, *lc_parent;
    zend_string *own, *lc_own;
    zend_string *psr[WX_BRIDGE_PSR_MAX], *lc_psr[WX_BRIDGE_PSR_MAX];
} wx_bridge_names_t;

static wx_bridge_names_t wx_names[WX_BRIDGE_COUNT];
static zend_string *wx_bridge_filename;

static zend_class_entry *(*wx_prev_autoload)(zend_string *name, zend_string *lc_name);

#ifndef ZTS
/* Interfaces with more methods than this are linked per request. */
#define WX_BRIDGE_METHODS_MAX 16

/* A class built once for the process, the interfaces it implements (NULL
 * where that interface was not there) and their methods, which the kept
 * class's methods name as prototypes: after an opcache restart an
 * interface can come back at the same address with other methods. */
typedef struct {
    zend_class_entry *ce;
    zend_class_entry *psr[WX_BRIDGE_PSR_MAX];
    const zend_function *methods[WX_BRIDGE_PSR_MAX][WX_BRIDGE_METHODS_MAX];
} wx_bridge_kept_t;

static wx_bridge_kept_t wx_kept[WX_BRIDGE_COUNT][WX_BRIDGE_KEPT_MAX];
static zend_string *wx_logger, *wx_lc_logger;
#endif

static void wx_bridge_intern(const char *s, zend_string **name, zend_string **lc)
{
    size_t len = strlen(s);
    char *low = zend_str_tolower_dup(s, len);

    *name = zend_string_init_interned(s, len, 1);
    *lc = zend_string_init_interned(low, len, 1);
    efree(low);
}

static void wx_bridge_add_iface(zend_class_entry *ce, zend_string *name, zend_string *lc)
{
    ce->interface_names[ce->num_interfaces].name = name;
    ce->interface_names[ce->num_interfaces].lc_name = lc;
    ce->num_interfaces++;
}

#ifndef ZTS
/* The methods of an interface in opcache's shared memory, in table order;
 * false when it is not one the kept classes can implement: not immutable
 * (no opcache, or a script it did not cache), or with constants, parent
 * interfaces or more methods than there is room for, whose copies in a
 * kept class would outlive an opcache restart unchecked. */
static bool wx_bridge_iface_methods(zend_class_entry *iface, const zend_function **out)
{
    zend_function *fn;
    int n = 0;

    if (!(iface->ce_flags & ZEND_ACC_IMMUTABLE) || (iface->ce_flags & ZEND_ACC_FILE_CACHED)
            || iface->num_interfaces || zend_hash_num_elements(&iface->constants_table)
            || zend_hash_num_elements(&iface->function_table) > WX_BRIDGE_METHODS_MAX) {
        return false;
    }
    memset(out, 0, sizeof(*out) * WX_BRIDGE_METHODS_MAX);
    ZEND_HASH_MAP_FOREACH_PTR(&iface->function_table, fn) {
        out[n++] = fn;
    } ZEND_HASH_FOREACH_END();
    return true;
}

/* What do_register_internal_class() and zend_register_internal_class_ex()
 * make of "class X extends Parent implements ..." at MINIT, built now. */
static zend_class_entry *wx_bridge_build(wx_bridge_class_t which, zend_class_entry *const *psr)
{
    const wx_bridge_names_t *n = &wx_names[which];
    zend_class_entry *parent = zend_hash_find_ptr(CG(class_table), n->lc_parent);
    zend_class_entry *ce;
    int i;

    /* the check of setLogger() against psr/log's LoggerAwareInterface
     * looks up its parameter's class: have it loaded, rather than left as
     * an obligation that only the linker of user classes resolves */
    for (i = 0; i < WX_BRIDGE_PSR_MAX; i++) {
        if (psr[i] && zend_string_equals_literal(n->psr[i], "Psr\\Log\\LoggerAwareInterface")
                && !zend_lookup_class_ex(wx_logger, wx_lc_logger, 0)) {
            return NULL;
        }
    }
    /* no property tables to copy (CacheBase and OpenPlatformBase keep their
     * state in the C object): a static one would need a map slot made now */
    if (!parent || parent->type != ZEND_INTERNAL_CLASS || parent->default_properties_count
            || parent->default_static_members_count) {
        return NULL;
    }
    ce = pemalloc(sizeof(zend_class_entry), 1);
    memset(ce, 0, sizeof(*ce));
    ce->type = ZEND_INTERNAL_CLASS;
    ce->name = n->name;
    zend_initialize_class_data(ce, 0);
    ce->ce_flags |= ZEND_ACC_LINKED | ZEND_ACC_RESOLVED_PARENT | ZEND_ACC_RESOLVED_INTERFACES;
    if (which == WX_BRIDGE_OPEN_PLATFORM) {
        ce->ce_flags |= ZEND_ACC_NO_DYNAMIC_PROPERTIES;
    }
    ce->info.internal.module = &wxredis_module_entry;
    zend_do_inheritance(ce, parent);
    for (i = 0; i < WX_BRIDGE_PSR_MAX; i++) {
        if (psr[i]) {
            zend_do_implement_interface(ce, psr[i]);
        }
    }
    return ce;
}

/* The process's class for these interfaces, built now if there is room;
 * NULL to link one for this request instead (exception pending if an
 * autoloader threw). */
static zend_class_entry *wx_bridge_kept(wx_bridge_class_t which, zend_class_entry *const *psr)
{
    const zend_function *methods[WX_BRIDGE_PSR_MAX][WX_BRIDGE_METHODS_MAX];
    wx_bridge_kept_t *k = wx_kept[which];
    int i;

    if (which != WX_BRIDGE_CACHE && which != WX_BRIDGE_OPEN_PLATFORM) {
        return NULL;    /* the exceptions: declared only when one is thrown */
    }
    memset(methods, 0, sizeof(methods));
    for (i = 0; i < WX_BRIDGE_PSR_MAX; i++) {
        if (psr[i] && !wx_bridge_iface_methods(psr[i], methods[i])) {
            return NULL;
        }
    }
    for (i = 0; i < WX_BRIDGE_KEPT_MAX && k[i].ce; i++) {
        if (memcmp(k[i].psr, psr, sizeof(k[i].psr)) == 0
                && memcmp(k[i].methods, methods, sizeof(methods)) == 0) {
            return k[i].ce;
        }
    }
    if (i == WX_BRIDGE_KEPT_MAX || !(k[i].ce = wx_bridge_build(which, psr))) {
        return NULL;
    }
    memcpy(k[i].psr, psr, sizeof(k[i].psr));
    memcpy(k[i].methods, methods, sizeof(methods));
    return k[i].ce;
}
#endif

static zend_class_entry *wx_bridge_declare(wx_bridge_class_t which)
{
    const wx_bridge_names_t *n = &wx_names[which];
    zend_class_entry *ce, *linked;
    zend_class_entry *psr[WX_BRIDGE_PSR_MAX] = { NULL };
    zval *zv;
    bool any = false;
    int i;

    for (i = 0; i < WX_BRIDGE_PSR_MAX && n->psr[i]; i++) {
        zend_class_entry *ice = zend_lookup_class_ex(n->psr[i], n->lc_psr[i], 0); /* may run composer's autoloader */
        if (EG(exception)) {
            return NULL;
        }
        if (ice && (ice->ce_flags & ZEND_ACC_INTERFACE)) {
            psr[i] = ice;
            any = true;
        }
    }
    /* The autoloader may have declared it meanwhile (a user class_alias). */
    if ((zv = zend_hash_find(EG(class_table), n->lc_name))) {
        return Z_PTR_P(zv);
    }
#ifndef ZTS
    if ((ce = wx_bridge_kept(which, psr))) {
        /* the engine's request-end destructor drops this reference, not the class */
        ce->refcount++;
        zend_hash_add_new_ptr(EG(class_table), n->lc_name, ce);
        return ce;
    }
    if (EG(exception)) {
        return NULL;
    }
#endif

    /* What the compiler makes of "class Cache extends CacheBase implements
     * CacheInterface {}": an unlinked user class in the request's arena. */
    ce = zend_arena_alloc(&CG(arena), sizeof(zend_class_entry));
    memset(ce, 0, sizeof(*ce));
    ce->type = ZEND_USER_CLASS;
    ce->name = n->name;
    zend_initialize_class_data(ce, 1);
    ce->ce_flags |= ZEND_ACC_TOP_LEVEL;
    ce->info.user.filename = wx_bridge_filename;
    ce->parent_name = n->parent;
    /* what @strict-properties gives the internal class (not inherited by
     * a user class); OpenPlatform's secret lives in its C object only */
    if (which == WX_BRIDGE_OPEN_PLATFORM) {
        ce->ce_flags |= ZEND_ACC_NO_DYNAMIC_PROPERTIES;
    }
    if (n->own || any) {
        ce->interface_names = emalloc(sizeof(zend_class_name) * (1 + WX_BRIDGE_PSR_MAX));
        if (n->own) {
            wx_bridge_add_iface(ce, n->own, n->lc_own);
        }
        for (i = 0; i < WX_BRIDGE_PSR_MAX; i++) {
            if (psr[i]) {
                wx_bridge_add_iface(ce, n->psr[i], n->lc_psr[i]);
            }
        }
    }

    /* In the class table while linking, as a declared class is. */
    zend_hash_add_new_ptr(EG(class_table), n->lc_name, ce);
    linked = zend_do_link_class(ce, n->lc_parent, n->lc_name);
    if (!linked) {
        /* exception pending; the table's destructor frees the class */
        zend_hash_del(EG(class_table), n->lc_name);
        return NULL;
    }
    return linked;
}

static zend_class_entry *wx_autoload(zend_string *name, zend_string *lc_name)
{
    int i;
    for (i = 0; i < WX_BRIDGE_COUNT; i++) {
        if (zend_string_equals(lc_name, wx_names[i].lc_name)) {
            return wx_bridge_declare((wx_bridge_class_t) i);
        }
    }
    return wx_prev_autoload ? wx_prev_autoload(name, lc_name) : NULL;
}

zend_class_entry *wx_bridge_class(wx_bridge_class_t which)
{
    zend_class_entry *ce = zend_hash_find_ptr(EG(class_table), wx_names[which].lc_name);
    if (ce) {
        return ce;
    }
    return wx_bridge_declare(which);
}

void wx_bridge_startup(void)
{
    int i, j;

    for (i = 0; i < WX_BRIDGE_COUNT; i++) {
        const wx_bridge_entry_t *e = &wx_bridge[i];
        wx_bridge_names_t *n = &wx_names[i];
        wx_bridge_intern(e->name, &n->name, &n->lc_name);
        wx_bridge_intern(e->parent, &n->parent, &n->lc_parent);
        for (j = 0; j < WX_BRIDGE_PSR_MAX && e->psr_iface[j]; j++) {
            wx_bridge_intern(e->psr_iface[j], &n->psr[j], &n->lc_psr[j]);
        }
        if (e->own_iface) {
            wx_bridge_intern(e->own_iface, &n->own, &n->lc_own);
        }
    }
#ifndef ZTS
    wx_bridge_intern("Psr\\Log\\LoggerInterface", &wx_logger, &wx_lc_logger);
#endif
    /* what ReflectionClass::getFileName() says, as under eval before */
    wx_bridge_filename = zend_string_init_interned("wxredis PSR bridge", sizeof("wxredis PSR bridge") - 1, 1);

    /* SPL (a required dependency, so already started) installed its
     * autoloader in zend_autoload; we go in front of it. */
    wx_prev_autoload = zend_autoload;
    zend_autoload = wx_autoload;
}

void wx_bridge_shutdown(void)
{
#ifndef ZTS
    int i, j;
    zval zv;

    /* Freed like an internal class at engine shutdown: its methods and
     * constants are copies, their names and arginfo shared with the
     * parent's; the interfaces are only pointed at. Every request's
     * reference to it ended with its request. */
    for (i = 0; i < WX_BRIDGE_COUNT; i++) {
        for (j = 0; j < WX_BRIDGE_KEPT_MAX && wx_kept[i][j].ce; j++) {
            wx_kept[i][j].ce->refcount = 1;
            ZVAL_PTR(&zv, wx_kept[i][j].ce);
            destroy_zend_class(&zv);
            wx_kept[i][j].ce = NULL;
        }
    }
#endif
    if (zend_autoload == wx_autoload) {
        zend_autoload = wx_prev_autoload;
    }
}
