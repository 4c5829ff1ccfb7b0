/* Unit tests of wx_lock: owner tokens, PX, the error mark, the poll schedule. */
#include "wx_lock.h"
#include "wx_test.h"

int main(void)
{
    unsigned char rnd[WX_LOCK_OWNER_BYTES] = { 0x00, 0x01, 0xab, 0xff, 0x10, 0x20, 0x30, 0x40,
                                               0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xcf };
    char owner[WX_LOCK_OWNER_HEX + 1];
    unsigned us, steps;

    memset(owner, 'x', sizeof(owner));
    wx_lock_owner(rnd, owner);
    WX_CHECK(strcmp(owner, "0001abff102030405060708090a0b0cf") == 0, "owner is lowercase hex of the bytes: %s", owner);
    WX_CHECK(strlen(owner) == WX_LOCK_OWNER_HEX, "owner is 32 characters, NUL-terminated");

    WX_CHECK(wx_lock_px(10.0) == 10000, "10 s is 10000 ms");
    WX_CHECK(wx_lock_px(0.25) == 250, "fractions of a second");
    WX_CHECK(wx_lock_px(0.0001) == 1, "never PX 0 (Redis refuses it)");
    WX_CHECK(wx_lock_px(0) == 1 && wx_lock_px(-3) == 1, "zero or negative: 1 ms");

    WX_CHECK(wx_lock_holds_error("a:1:{s:5:\"error\";s:3:\"Foo\";}", 27), "a serialize()d array is an error");
    WX_CHECK(!wx_lock_holds_error("s:32:\"0001abff102030405060708090a0b0cf\";", 39), "a serialize()d owner string is not");
    WX_CHECK(!wx_lock_holds_error("a:", 2), "the mark alone is not");
    WX_CHECK(!wx_lock_holds_error("", 0), "empty is not");
    WX_CHECK(strstr(WX_LOCK_LUA_DELETE_ERROR, "== 'a:'") != NULL, "the delete-error script tests the same mark");

    us = WX_LOCK_POLL_FIRST_US;
    for (steps = 0; us < WX_LOCK_POLL_MAX_US && steps < 100; steps++) {
        unsigned next = wx_lock_poll_next(us);
        if (next <= us) break;
        us = next;
    }
    WX_CHECK(us == WX_LOCK_POLL_MAX_US && steps == 5, "2 ms doubles to the 50 ms cap in 5 steps (%u us, %u steps)", us, steps);
    WX_CHECK(wx_lock_poll_next(WX_LOCK_POLL_MAX_US) == WX_LOCK_POLL_MAX_US, "stays at the cap");
    WX_CHECK(wx_lock_wait_limit(10.0, 5.0) == 15.0, "wait limit: lock_timeout + http_timeout");
    return wx_test_done();
}
