<?php

/** @generate-class-entries */

namespace WxRedis;

/**
 * The wire format of WxRedis\Cache, for tools (wxredis-doctor) and for code
 * that reads or writes Redis without the cache: the same detection,
 * encoding and decoding the cache uses; and the table of the keys
 * EasyWeChat and wxredis use (describeKey(), keys()).
 */
final class Format
{
    /** @var string */
    public const CANONICAL = "wxredis";
    /** @var string */
    public const PHP = "php";
    /** @var string */
    public const PHP_IGBINARY = "php+igbinary";
    /** @var string */
    public const IGBINARY = "igbinary";
    /** @var string */
    public const MSGPACK = "msgpack";
    /** @var string */
    public const JSON = "json";
    /** @var string */
    public const RAW = "raw";
    /** @var string */
    public const EMPTY = "empty";

    private function __construct() {}

    /**
     * What the bytes are: CANONICAL (what WxRedis\Cache writes, byte for
     * byte), PHP (serialize() syntax written by someone else, e.g. another
     * serialize_precision), PHP_IGBINARY (igbinary inside a PHP string:
     * Symfony's marshaller under phpredis SERIALIZER_PHP), IGBINARY,
     * MSGPACK, JSON (object, array or string), RAW or EMPTY.
     */
    public static function detect(string $bytes): string {}

    /** The bytes WxRedis\Cache writes for $value. */
    public static function encode(mixed $value): string {}

    /**
     * The value WxRedis\Cache::get() would return for these bytes, with
     * the same errors (WxRedis\CacheException naming $key).
     */
    public static function decode(string $bytes, bool $legacyFormats = false, array|bool $allowedClasses = true, string $key = ""): mixed {}

    /**
     * What $key is, when it is one of the keys EasyWeChat (6 or 4.x/5.x)
     * or wxredis keep WeChat Open Platform credentials under, else null.
     * The row of keys() for it, plus: prefix (the bytes before the name),
     * name (the rest), component_app_id, authorizer_app_id and digest (the
     * md5 field), each null when the key has none.
     *
     * With $prefix "" the cache prefix is not known: any bytes before a
     * known name count as the prefix, the longest name winning (so
     * "easywechat.open_platform.verify_ticket.X" is EasyWeChat 4's ticket).
     * With a $prefix, a key under it must be $prefix and the name exactly;
     * refresh tokens, which live outside any prefix, must be the name alone.
     */
    public static function describeKey(string $key, string $prefix = ""): ?array {}

    /**
     * The one table of those keys, in a stable order: for each, role
     * ("ticket", "component_token", "authorizer_token", "refresh_token",
     * "ticket_stored_at", "push_ticket_requested", "component_lock",
     * "authorizer_lock", "token_4x"), pattern (with {componentAppId},
     * {authorizerAppId}, {md5(refreshToken)} or {md5(credentials)}), owner
     * ("easywechat" or "wxredis"), layout ("easywechat6", "easywechat4",
     * "wxredis"), written (whether wxredis writes it), in_prefix (false:
     * outside the cache prefix), value ("string", "int", "lock", "array"),
     * what (the value in words), ttl (the policy: "none", "fixed",
     * "expires_in", "ticket", "lock"), ttl_seconds (the TTL, the cut from
     * expires_in, the longest ticket TTL or the error hold of a lock; null
     * for none), easywechat_ttl (what EasyWeChat writes instead, or null)
     * and ttl_text (the policy in words).
     */
    public static function keys(): array {}
}
