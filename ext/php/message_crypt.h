/*
 * Kept until OpenPlatform includes "php/crypt/message_crypt.h": the
 * MessageCrypt glue moved to ext/php/crypt/. The lead removes this file
 * after merging both halves of issue 8.
 */
#include "crypt/message_crypt.h"
