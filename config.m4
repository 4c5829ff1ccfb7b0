dnl wxredis: WeChat Open Platform credentials in Redis.
dnl phpize && ./configure && make, from the top of the tree.

PHP_ARG_ENABLE([wxredis],
  [whether to enable wxredis support],
  [AS_HELP_STRING([--enable-wxredis], [Enable wxredis support])],
  [yes])

PHP_ARG_WITH([hiredis],
  [for hiredis],
  [AS_HELP_STRING([[--with-hiredis[=DIR]]], [wxredis: hiredis install prefix (default: pkg-config, then /usr/local and /usr)])],
  [yes], [no])

if test "$PHP_WXREDIS" != "no"; then
  PKG_PROG_PKG_CONFIG

  dnl --- hiredis: pkg-config first, then --with-hiredis=DIR or the usual prefixes
  HIREDIS_FOUND=no
  if test "$PHP_HIREDIS" = "yes" && test -n "$PKG_CONFIG" && $PKG_CONFIG --exists hiredis; then
    HIREDIS_CFLAGS=`$PKG_CONFIG --cflags hiredis`
    HIREDIS_LIBS=`$PKG_CONFIG --libs hiredis`
    HIREDIS_VERSION=`$PKG_CONFIG --modversion hiredis`
    PHP_EVAL_INCLINE($HIREDIS_CFLAGS)
    PHP_EVAL_LIBLINE($HIREDIS_LIBS, WXREDIS_SHARED_LIBADD)
    HIREDIS_FOUND=yes
  else
    AC_MSG_CHECKING([for hiredis headers])
    for dir in $PHP_HIREDIS /usr/local /usr; do
      if test -f "$dir/include/hiredis/hiredis.h"; then
        HIREDIS_DIR=$dir
        break
      fi
    done
    if test -z "$HIREDIS_DIR"; then
      AC_MSG_RESULT([not found])
      AC_MSG_ERROR([hiredis not found: install libhiredis-dev (Debian) or pass --with-hiredis=DIR])
    fi
    AC_MSG_RESULT([$HIREDIS_DIR])
    PHP_ADD_INCLUDE($HIREDIS_DIR/include)
    PHP_ADD_LIBRARY_WITH_PATH(hiredis, $HIREDIS_DIR/$PHP_LIBDIR, WXREDIS_SHARED_LIBADD)
    HIREDIS_FOUND=yes
  fi

  dnl both 0.14 (Debian 12) and 1.x expose these
  PHP_CHECK_LIBRARY(hiredis, redisConnectWithTimeout, [], [
    AC_MSG_ERROR([libhiredis does not link (redisConnectWithTimeout missing)])
  ], [$WXREDIS_SHARED_LIBADD])

  dnl --- OpenSSL (libcrypto) and libxml2, through PHP's own macros
  PHP_SETUP_OPENSSL(WXREDIS_SHARED_LIBADD, [], [
    AC_MSG_ERROR([OpenSSL not found: install libssl-dev])
  ])
  PHP_SETUP_LIBXML(WXREDIS_SHARED_LIBADD, [], [
    AC_MSG_ERROR([libxml2 not found: install libxml2-dev])
  ])

  PHP_SUBST(WXREDIS_SHARED_LIBADD)

  WXREDIS_CORE="ext/core/wx_conn.c ext/core/wx_conn_opts.c ext/core/wx_conn_class.c ext/core/wx_resp.c ext/core/wx_sniff.c ext/core/wx_crypt.c ext/core/wx_xml.c ext/core/wx_xml_check.c ext/core/wx_topology.c ext/core/wx_slots.c ext/core/wx_client.c ext/core/wx_client_single.c ext/core/wx_client_split.c ext/core/wx_sentinel.c ext/core/wx_sentinel_watch.c ext/core/wx_sentinel_link.c ext/core/wx_sentinel_report.c ext/core/wx_cluster.c ext/core/wx_cluster_map.c ext/core/wx_envelope.c ext/core/wx_keys.c ext/core/wx_wechat.c ext/core/wx_lock.c ext/core/wx_http.c ext/core/wx_events.c"
  dnl one line per area, so each area's files are listed in one place
  WXREDIS_GLUE="ext/wxredis.c ext/php/bridge.c ext/php/exceptions.c ext/php/pool.c ext/php/codec.c ext/php/format.c ext/php/log.c"
  WXREDIS_CACHE="ext/php/cache/cache.c ext/php/cache/args.c ext/php/cache/options.c ext/php/cache/items.c ext/php/cache/clear.c ext/php/cache/raw.c ext/php/cache/store.c ext/php/cache/log.c"
  WXREDIS_CRYPT="ext/php/crypt/message_crypt.c"
  WXREDIS_PLATFORM="ext/php/http.c ext/php/platform/platform.c ext/php/platform/config.c ext/php/platform/api.c ext/php/platform/flight.c ext/php/platform/tickets.c ext/php/platform/tokens.c ext/php/platform/callback.c ext/php/platform/authorize.c ext/php/platform/keys.c ext/php/platform/store.c ext/php/platform/registry.c ext/php/platform/recover.c ext/php/platform/keeper.c ext/php/platform/quota.c ext/php/platform/log.c ext/php/platform/fleet.c ext/php/platform/health.c"

  PHP_NEW_EXTENSION(wxredis, $WXREDIS_GLUE $WXREDIS_CACHE $WXREDIS_CRYPT $WXREDIS_PLATFORM $WXREDIS_CORE, $ext_shared,, -DZEND_ENABLE_STATIC_TSRMLS_CACHE=1 -I@ext_srcdir@/ext)
  PHP_ADD_BUILD_DIR($ext_builddir/ext)
  PHP_ADD_BUILD_DIR($ext_builddir/ext/core)
  PHP_ADD_BUILD_DIR($ext_builddir/ext/php)
  PHP_ADD_BUILD_DIR($ext_builddir/ext/php/cache)
  PHP_ADD_BUILD_DIR($ext_builddir/ext/php/crypt)
  PHP_ADD_BUILD_DIR($ext_builddir/ext/php/platform)
  PHP_ADD_EXTENSION_DEP(wxredis, spl)
  PHP_ADD_EXTENSION_DEP(wxredis, json)
fi
