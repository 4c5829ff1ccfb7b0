/*
 * LD_PRELOAD shim for running an ASan-built wxredis.so inside Debian's
 * (uninstrumented) php: PHP dlopen()s extensions with RTLD_DEEPBIND, which
 * the ASan runtime refuses. Clear that flag and pass the call on.
 */
#define _GNU_SOURCE
#include <dlfcn.h>

void *dlopen(const char *file, int mode)
{
    static void *(*next)(const char *, int);
    if (!next) {
        next = (void *(*)(const char *, int)) dlsym(RTLD_NEXT, "dlopen");
    }
    return next(file, mode & ~RTLD_DEEPBIND);
}
