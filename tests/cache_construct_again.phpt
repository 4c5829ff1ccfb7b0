--TEST--
WxRedis\Cache: a constructor that threw can be called again; the second one's options are the ones that hold
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';

// parent::__construct() in a try, as a framework's wrapper might do: the
// first call fails on a bad option after prefix, allowed_classes and
// legacy_formats were taken; the second call must start from nothing
// (under scripts/memcheck it also must not leak the first call's options)
final class RetryingCache extends WxRedis\Cache
{
    public function __construct(string $dsn, string $prefix)
    {
        try {
            parent::__construct($dsn, ['prefix' => str_repeat('first:', 3), 'allowed_classes' => false,
                                       'legacy_formats' => true, 'no_such_option' => 1]);
        } catch (WxRedis\InvalidArgumentException $e) {
            echo get_class($e), '(', $e->getCode(), ")\n";
        }
        parent::__construct($dsn, ['prefix' => $prefix]);
    }
}

$prefix = wx_test_prefix();
$c = new RetryingCache(wx_test_server()['dsn'], $prefix);
var_dump($c->set('k', new ArrayObject([1])));
$raw = wx_test_raw();
var_dump($raw->get($prefix . 'k') !== null, $raw->get('first:first:first:k'));
// allowed_classes => false of the first call is gone: objects load again
var_dump(get_class($c->get('k')));
// legacy_formats of the first call is gone: foreign bytes are refused
$raw->set($prefix . 'raw', 'not serialized');
try {
    $c->get('raw');
} catch (WxRedis\CacheException $e) {
    echo get_class($e), '(', $e->getCode(), ")\n";
}
echo "constructed once now\n";
try {
    $c->__construct(wx_test_server()['dsn'], $prefix);
} catch (Error $e) {
    echo $e->getMessage(), "\n";
}
$c->deleteMultiple(['k', 'raw']);
--EXPECT--
WxRedis\InvalidArgumentException(32)
bool(true)
bool(true)
NULL
string(11) "ArrayObject"
WxRedis\CacheException(20)
constructed once now
Cannot call the constructor twice
