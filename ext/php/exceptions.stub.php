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

/**
 * WxRedis\OpenPlatform holds no usable component_verify_ticket: none was
 * stored for this component app id (or it expired). The message says when the
 * last one was stored, if known, and whether a re-push was requested.
 */
class TicketException extends \RuntimeException implements Exception
{
}

/**
 * WeChat answered a WxRedis\OpenPlatform call with an error. The exception
 * code is WeChat's errcode; the message adds a hint for the common ones.
 */
class ApiException extends \RuntimeException implements Exception
{
    private int $errcode = 0;
    private string $errmsg = "";
    private string $api = "";

    /** WeChat's errcode (also the exception code). */
    public function getErrcode(): int {}

    /** WeChat's errmsg, as sent (with its rid). */
    public function getErrmsg(): string {}

    /** The API path that failed, e.g. /cgi-bin/component/api_component_token. */
    public function getApi(): string {}
}

/**
 * A WeChat API call got no usable answer: connection failure, timeout, an
 * HTTP status other than 200, or a body that is not a JSON object. The code
 * is the HTTP status, 0 when there was no answer.
 */
class HttpException extends \RuntimeException implements Exception
{
}
