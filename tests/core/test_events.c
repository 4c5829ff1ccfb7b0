/* Unit tests of wx_events: the event table and the fingerprint. */
#include "wx_events.h"
#include "wx_test.h"

int main(void)
{
    size_t n, i, j;
    const wx_event_def_t *t = wx_events_table(&n);
    char fp[WX_FINGERPRINT_SIZE];
    static const char *const levels[] = { "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency" };

    WX_CHECK(n == WX_EV_COUNT, "one row per event");
    for (i = 0; i < n; i++) {
        int level_ok = 0;
        WX_CHECK(t[i].id == (wx_event_t) i && wx_events_def(t[i].id) == &t[i], "row %zu is id %zu", i, i);
        WX_CHECK(strncmp(t[i].name, "wxredis.", 8) == 0 && strchr(t[i].message, '{') && t[i].keys[0],
                 "%s: named wxredis.*, a message with placeholders, context keys", t[i].name);
        for (j = 0; j < sizeof(levels) / sizeof(levels[0]); j++) {
            level_ok |= strcmp(t[i].level, levels[j]) == 0;
        }
        WX_CHECK(level_ok, "%s: a PSR-3 level (%s)", t[i].name, t[i].level);
        for (j = 0; j < i; j++) {
            WX_CHECK(strcmp(t[i].name, t[j].name) != 0, "names %zu and %zu differ", i, j);
        }
    }
    WX_CHECK(wx_events_def(WX_EV_COUNT) == NULL, "out of range: NULL");

    /* SHA-256("abc") = ba7816bf 8f01cfea ... */
    WX_CHECK(strcmp(wx_fingerprint("abc", 3, fp), "ba7816bf") == 0, "fingerprint of abc: %s", fp);
    /* SHA-256("") = e3b0c442 ... */
    WX_CHECK(strcmp(wx_fingerprint("", 0, fp), "e3b0c442") == 0, "fingerprint of the empty string: %s", fp);
    WX_CHECK(strlen(fp) == WX_FINGERPRINT_HEX, "8 hex digits");
    return wx_test_done();
}
