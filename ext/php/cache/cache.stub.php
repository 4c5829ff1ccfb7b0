<?php

/** @generate-class-entries */

namespace WxRedis;

/**
 * The PSR-16 cache on Redis. Use WxRedis\Cache, which the extension declares
 * on first use as a subclass of this one that implements
 * Psr\SimpleCache\CacheInterface (1.x, 2.x or 3.x, whichever is
 * autoloadable). Parameters are untyped (`mixed`) so that one class fits all
 * three interface versions; the methods check types themselves and throw
 * WxRedis\InvalidArgumentException.
 */
/** @not-serializable */
abstract class CacheBase
{
    /**
     * @var int
     * @cvalue WX_CONN_ERR_DSN
     */
    public const ERROR_DSN = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CONN_ERR_CONNECT
     */
    public const ERROR_CONNECT = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CONN_ERR_AUTH
     */
    public const ERROR_AUTH = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CONN_ERR_SELECT
     */
    public const ERROR_SELECT = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CONN_ERR_IO
     */
    public const ERROR_IO = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CONN_ERR_PROTOCOL
     */
    public const ERROR_PROTOCOL = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CONN_ERR_REPLY
     */
    public const ERROR_REPLY = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CACHE_ERR_FORMAT
     */
    public const ERROR_FORMAT = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CACHE_ERR_CORRUPT
     */
    public const ERROR_CORRUPT = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CACHE_ERR_SERIALIZE
     */
    public const ERROR_SERIALIZE = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CACHE_ERR_UNSAFE
     */
    public const ERROR_UNSAFE = UNKNOWN;

    /**
     * A write that must survive a failover (OpenPlatform's refresh tokens
     * with min_replicas) was not acknowledged by enough replicas in time.
     * @var int
     * @cvalue WX_CACHE_ERR_REPLICAS
     */
    public const ERROR_REPLICAS = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CACHE_ERR_KEY
     */
    public const ERROR_KEY = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CACHE_ERR_TTL
     */
    public const ERROR_TTL = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CACHE_ERR_ARGUMENT
     */
    public const ERROR_ARGUMENT = UNKNOWN;

    public function __construct(string $dsn = "redis://127.0.0.1:6379", array $options = []) {}

    public function get(mixed $key, mixed $default = null): mixed {}

    public function set(mixed $key, mixed $value, mixed $ttl = null): bool {}

    public function delete(mixed $key): bool {}

    public function clear(): bool {}

    public function getMultiple(mixed $keys, mixed $default = null): iterable {}

    public function setMultiple(mixed $values, mixed $ttl = null): bool {}

    public function deleteMultiple(mixed $keys): bool {}

    public function has(mixed $key): bool {}

    /** Counters of this process: hits, misses, writes, deletes, errors, connects, reconnects, round trips... */
    public function stats(): array {}

    /**
     * One Redis command on this cache's connection, as is: the prefix is
     * not applied and nothing is (un)serialized. For tools and
     * administration (wxredis-doctor uses it). Status and bulk replies are
     * strings, integers ints, nil null, multi-bulk arrays; an error reply
     * throws WxRedis\CacheException (ERROR_REPLY).
     */
    public function rawCommand(string $command, string ...$args): mixed {}

    /**
     * rawCommand() on one master, named as topology()['masters'] lists it
     * ("host:port"): for what runs per node on a cluster (SCAN, DBSIZE,
     * INFO, CONFIG GET). InvalidArgumentException (ERROR_ARGUMENT) for a
     * node that is not a master.
     */
    public function rawCommandAt(string $node, string $command, string ...$args): mixed {}

    /**
     * The deployment as this process sees it, connecting if needed: mode
     * ("single", "sentinel", "cluster"), masters (["host:port", ...]),
     * service (Sentinel), and the events seen: failovers, redirects,
     * map_refreshes, retries.
     */
    public function topology(): array {}
}

/**
 * What getMultiple() returns: the keys in the order asked, each with its
 * value or the default. Keys stay strings, even "123".
 *
 * @strict-properties
 * @not-serializable
 */
final class CacheItems implements \Iterator, \Countable
{
    private function __construct() {}

    public function current(): mixed {}

    public function key(): string {}

    public function next(): void {}

    public function rewind(): void {}

    public function valid(): bool {}

    public function count(): int {}

    /** The same as iterator_to_array(): numeric-string keys become ints, as in any PHP array. */
    public function toArray(): array {}
}
