<?php

/** @generate-class-entries */

namespace WxRedis;

/**
 * The wire format of WxRedis\Cache, for tools (wxredis-doctor) and for code
 * that reads or writes Redis without the cache: the same detection,
 * encoding and decoding the cache uses.
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
}
