<?php

/**
 * @generate-class-entries
 * @undocumentable
 */

namespace WxRedis;

/**
 * Implemented by every exception wxredis throws, so one catch covers them.
 *
 * WxRedis\CacheException (extends \RuntimeException) and
 * WxRedis\InvalidArgumentException (extends \InvalidArgumentException) are
 * declared on first use by the extension, implementing
 * Psr\SimpleCache\CacheException / InvalidArgumentException when
 * psr/simple-cache can be autoloaded; they are not in this stub because
 * their interfaces depend on the application.
 */
interface Exception extends \Throwable
{
}

/** A WeChat message could not be verified, decrypted, encrypted or parsed. The code is the official WXBizMsgCrypt code (-40001 ... -40011). */
class CryptException extends \RuntimeException implements Exception
{
}
