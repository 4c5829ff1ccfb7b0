<?php
use Cache\IntegrationTests\SimpleCacheTest;

/** The whole suite, nothing skipped. */
final class WxRedisSimpleCacheTest extends SimpleCacheTest
{
    public function createSimpleCache()
    {
        $c = new WxRedis\Cache(wx_test_server()['dsn'] . '/9', ['prefix' => 'conformance:' . getenv('WX_PSR') . ':']);
        // the suite's premise: the object is the PSR interface of this run
        if (!$c instanceof Psr\SimpleCache\CacheInterface) {
            throw new LogicException('WxRedis\Cache does not implement the autoloaded Psr\SimpleCache\CacheInterface');
        }
        return $c;
    }

    /** Beyond 0.17: newer suites check that numeric-string keys stay strings. */
    public function testGetMultipleKeepsNumericStringKeys(): void
    {
        $this->cache->set('123', 'a');
        $keys = [];
        foreach ($this->cache->getMultiple(['123']) as $k => $v) {
            $keys[] = $k;
        }
        $this->assertSame(['123'], $keys);
    }
}
