/*
 * wx_xml_find: memmem for the XML files (wx_xml.c's CDATA fast path and
 * wx_xml_check.c's pre-scan), without needing _GNU_SOURCE.
 */
#ifndef WX_XML_FIND_H
#define WX_XML_FIND_H

#include <stddef.h>
#include <string.h>

static inline const char *wx_xml_find(const char *s, const char *end, const char *what, size_t wlen)
{
    while ((size_t)(end - s) >= wlen
           && (s = memchr(s, what[0], (size_t)(end - s) - wlen + 1)) != NULL) {
        if (memcmp(s, what, wlen) == 0) {
            return s;
        }
        s++;
    }
    return NULL;
}

#endif
